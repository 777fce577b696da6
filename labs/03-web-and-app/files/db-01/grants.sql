-- Run by the database server at every start (init_file in my.cnf): hence IF NOT EXISTS everywhere.
CREATE DATABASE IF NOT EXISTS shop;

CREATE TABLE IF NOT EXISTS shop.guestbook (
  id INT AUTO_INCREMENT PRIMARY KEY,
  name VARCHAR(80) NOT NULL,
  message TEXT NOT NULL,
  created_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP
);

-- One account for each application server: an account is a user and the host it connects from.
CREATE USER IF NOT EXISTS 'app'@'10.0.0.31' IDENTIFIED BY 'a-long-random-password';
CREATE USER IF NOT EXISTS 'app'@'10.0.0.32' IDENTIFIED BY 'a-long-random-password';

-- Only what the application needs: it reads and adds entries, it never drops a table.
GRANT SELECT, INSERT ON shop.* TO 'app'@'10.0.0.31';
GRANT SELECT, INSERT ON shop.* TO 'app'@'10.0.0.32';
