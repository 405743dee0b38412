#!/bin/sh
# Creates the example's two environments under examples/application/out (or $APP_ENV): old/ with the pinboard
# application (SQLite database from seed/app.sql, uploaded files, app.properties) and an empty new/, and points
# the 'current' symlink at old. Run from the repository root. Needs the sqlite3 command.
set -eu
here=$(dirname "$0")
env=${APP_ENV:-examples/application/out}
rm -rf "$env"
mkdir -p "$env/old" "$env/new"
cp -R "$here/seed/uploads" "$env/old/uploads"
cp "$here/seed/app.properties" "$env/old/app.properties"
sqlite3 "$env/old/app.db" < "$here/seed/app.sql"
ln -sfn old "$env/current"
echo "old environment ready in $env/old; new environment (empty) in $env/new"
