-- Run by the database server at every start (init_file in my.cnf): hence IF NOT EXISTS everywhere.
CREATE DATABASE IF NOT EXISTS shop;

CREATE TABLE IF NOT EXISTS shop.guestbook (
  id INT AUTO_INCREMENT PRIMARY KEY,
  name VARCHAR(80) NOT NULL,
  message TEXT NOT NULL,
  created_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP
);

-- The application's account, from each application server, with only what the application needs.
CREATE USER IF NOT EXISTS 'app'@'10.0.0.31' IDENTIFIED BY 'guestbook';
CREATE USER IF NOT EXISTS 'app'@'10.0.0.32' IDENTIFIED BY 'guestbook';
GRANT SELECT, INSERT ON shop.* TO 'app'@'10.0.0.31';
GRANT SELECT, INSERT ON shop.* TO 'app'@'10.0.0.32';
