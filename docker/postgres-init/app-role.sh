#!/bin/sh
# Run by the postgres image on the first start of an empty data volume: the role the app connects as.
# No superuser, no role or database creation; its privileges on the tables are granted by
# `manage.py db_grant_app_role casework_app` after every migrate (docker-compose.yml's migrate service).
set -eu
psql -v ON_ERROR_STOP=1 -v password="$(cat /run/secrets/db_app_password)" \
  --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" <<'SQL'
CREATE ROLE casework_app LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD :'password';
SQL
