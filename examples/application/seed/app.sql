-- Pinboard, a small web application: users pin posts with an uploaded image.
CREATE TABLE users (
  id INTEGER PRIMARY KEY,
  email TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  created_at TIMESTAMP NOT NULL
);
CREATE TABLE posts (
  id INTEGER PRIMARY KEY,
  user_id INTEGER NOT NULL REFERENCES users(id),
  title TEXT NOT NULL,
  image TEXT,
  created_at TIMESTAMP NOT NULL
);
INSERT INTO users VALUES (1, 'ada@example.org', 'Ada', '2024-01-05 09:00:00');
INSERT INTO users VALUES (2, 'grace@example.org', 'Grace', '2024-01-06 10:30:00');
INSERT INTO users VALUES (3, 'zoe@example.org', 'Zoë', '2024-02-11 18:45:00');
INSERT INTO posts VALUES (1, 1, 'Analytical engine sketch', 'uploads/2024/engine.svg', '2024-01-07 08:00:00');
INSERT INTO posts VALUES (2, 2, 'First bug', 'uploads/2024/moth.txt', '2024-01-08 12:00:00');
INSERT INTO posts VALUES (3, 3, 'Café notes', NULL, '2024-02-12 07:15:00');
INSERT INTO posts VALUES (4, 1, 'Logo', 'uploads/logo.svg', '2024-03-01 16:20:00');
