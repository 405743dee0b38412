-- A small shop database for the Caravan database example (SQLite dialect).
-- Create it with:  sqlite3 examples/database/out/shop.db < examples/database/shop.sql
-- Types chosen to show the type mapping: REAL (arrives as double precision, every digit kept), NUMERIC(p,s),
-- BOOLEAN, TIMESTAMP, BLOB, JSON text, unicode, NULLs, a foreign key and identity (INTEGER PRIMARY KEY) columns.
CREATE TABLE customers (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  email TEXT UNIQUE,
  balance REAL NOT NULL DEFAULT 0,
  vip BOOLEAN NOT NULL DEFAULT 0,
  joined TIMESTAMP
);
CREATE TABLE products (
  id INTEGER PRIMARY KEY,
  sku TEXT NOT NULL UNIQUE,
  title TEXT NOT NULL,
  price NUMERIC(10,2) NOT NULL,
  attributes JSON,
  thumbnail BLOB
);
CREATE TABLE orders (
  id INTEGER PRIMARY KEY,
  customer_id INTEGER NOT NULL REFERENCES customers(id),
  product_id INTEGER NOT NULL REFERENCES products(id),
  quantity INTEGER NOT NULL,
  ordered_at TIMESTAMP NOT NULL,
  note TEXT
);
CREATE INDEX orders_by_customer ON orders(customer_id);
INSERT INTO customers VALUES (1, 'Ada Lovelace', 'ada@example.org', 279818.335431, 1, '2023-12-10 09:15:00');
INSERT INTO customers VALUES (2, 'Zoë Müller', 'zoe@example.de', 42.5, 0, '2024-01-02 18:30:45');
INSERT INTO customers VALUES (3, '山田 太郎', NULL, 0, 0, NULL);
INSERT INTO customers VALUES (4, 'O''Brien & Sons, Ltd', 'orders@obrien.example', -17.25, 1, '2024-02-29 23:59:59');
INSERT INTO products VALUES (1, 'TEA-001', 'Green tea, 100 g', 4.99, '{"origin":"JP","organic":true}', X'89504E47');
INSERT INTO products VALUES (2, 'CUP-002', 'Mug "Caravan"', 12.00, '{"colour":"blue"}', NULL);
INSERT INTO products VALUES (3, 'KET-003', 'Kettle — 1.7 l', 39.90, NULL, X'00FF10');
INSERT INTO orders VALUES (1, 1, 1, 3, '2024-03-01 10:00:00', 'gift wrap');
INSERT INTO orders VALUES (2, 2, 2, 1, '2024-03-01 11:30:00', NULL);
INSERT INTO orders VALUES (3, 4, 3, 2, '2024-03-02 08:05:10', 'deliver to the "back door"');
INSERT INTO orders VALUES (4, 1, 2, 1, '2024-03-03 14:45:00', NULL);
INSERT INTO orders VALUES (5, 3, 1, 10, '2024-03-04 16:20:30', 'ありがとう');
