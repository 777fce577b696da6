-- db-01's accounts and tables. The server runs this file at every start (init_file in my.cnf), hence
-- IF NOT EXISTS everywhere. On a real server, run it once as the administrator: sudo mariadb < grants.sql
CREATE DATABASE IF NOT EXISTS shop;

CREATE TABLE IF NOT EXISTS shop.guestbook (
  id INT AUTO_INCREMENT PRIMARY KEY,
  name VARCHAR(80) NOT NULL,
  message TEXT NOT NULL,
  created_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP
);

-- One account per application server: user 'app', and the address it connects from. No 'app'@'%' (any host)
-- and no 'app'@'10.0.0.%' (the whole network): a web server, or anything else there, could then log in with the
-- password alone.
CREATE USER IF NOT EXISTS 'app'@'10.0.0.31' IDENTIFIED BY 'a-long-random-password';
CREATE USER IF NOT EXISTS 'app'@'10.0.0.32' IDENTIFIED BY 'a-long-random-password';

-- Only what the guestbook needs: it reads and adds entries, it never drops a table.
GRANT SELECT, INSERT ON shop.* TO 'app'@'10.0.0.31';
GRANT SELECT, INSERT ON shop.* TO 'app'@'10.0.0.32';
