-- db-01's accounts and tables. The server runs this file at every start (init_file in my.cnf), hence
-- IF NOT EXISTS everywhere. On a real server, run it once as the administrator: sudo mariadb < grants.sql
CREATE DATABASE IF NOT EXISTS shop;

CREATE TABLE IF NOT EXISTS shop.guestbook (
  id INT AUTO_INCREMENT PRIMARY KEY,
  name VARCHAR(80) NOT NULL,
  message TEXT NOT NULL,
  created_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP
);

-- One account per application server, named by the address it connects from.
{{users}}

-- Only what the guestbook needs: it reads and adds entries.
{{grants}}
