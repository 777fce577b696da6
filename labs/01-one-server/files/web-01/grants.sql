-- Run by MySQL at every start (init_file in my.cnf): hence IF NOT EXISTS everywhere.
CREATE DATABASE IF NOT EXISTS shop;

CREATE TABLE IF NOT EXISTS shop.guestbook (
  id INT AUTO_INCREMENT PRIMARY KEY,
  name VARCHAR(80) NOT NULL,
  message TEXT NOT NULL,
  created_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP
);

-- The application's account: user 'app', and only when it connects from this machine (127.0.0.1).
CREATE USER IF NOT EXISTS 'app'@'127.0.0.1' IDENTIFIED BY 'secret';

-- Only what the application needs: it reads and adds entries, it never drops a table.
GRANT SELECT, INSERT ON shop.* TO 'app'@'127.0.0.1';
