/* aurora_serverless--1.0--1.1.sql */

\echo Use "ALTER EXTENSION aurora_serverless UPDATE TO '1.1'" to load this file. \quit

----------------------------------------------------------------------
-- The AWS API endpoint: access keys, each mapped to a role
----------------------------------------------------------------------

-- Only superusers read it (secrets), as pg_authid.  Every row is a user's:
-- the extension inserts none, so a dump holds them all and a restore into
-- a fresh CREATE EXTENSION adds them without a conflict.
CREATE TABLE aurora_serverless.api_access_keys (
    access_key_id text PRIMARY KEY
        CHECK (access_key_id ~ '^[A-Za-z0-9_]{1,128}$'),
    secret_access_key text NOT NULL
        CHECK (secret_access_key ~ '^[!-~]{1,128}$'),
    role name NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);
REVOKE ALL ON aurora_serverless.api_access_keys FROM PUBLIC;
SELECT pg_catalog.pg_extension_config_dump('aurora_serverless.api_access_keys', '');

CREATE FUNCTION aurora_serverless.create_api_access_key(
    role name,
    key_id text DEFAULT NULL,
    secret text DEFAULT NULL,
    OUT access_key_id text,
    OUT secret_access_key text)
RETURNS record
AS 'MODULE_PATHNAME', 'as_create_api_access_key'
LANGUAGE C VOLATILE PARALLEL UNSAFE;

CREATE FUNCTION aurora_serverless.drop_api_access_key(key_id text)
RETURNS void
AS 'MODULE_PATHNAME', 'as_drop_api_access_key'
LANGUAGE C VOLATILE PARALLEL UNSAFE;

REVOKE ALL ON FUNCTION aurora_serverless.create_api_access_key(name, text, text) FROM PUBLIC;
REVOKE ALL ON FUNCTION aurora_serverless.drop_api_access_key(text) FROM PUBLIC;

COMMENT ON TABLE aurora_serverless.api_access_keys IS
  'Access keys of the AWS API endpoint, each mapped to the role its requests run as; superusers only';
COMMENT ON COLUMN aurora_serverless.api_access_keys.access_key_id IS 'AWS access key ID (AWS_ACCESS_KEY_ID)';
COMMENT ON COLUMN aurora_serverless.api_access_keys.secret_access_key IS 'AWS secret access key (AWS_SECRET_ACCESS_KEY) that signs requests';
COMMENT ON COLUMN aurora_serverless.api_access_keys.role IS 'The role a request signed with the key runs as: its privileges are the request''s';
COMMENT ON COLUMN aurora_serverless.api_access_keys.created_at IS 'When the key was created';
COMMENT ON FUNCTION aurora_serverless.create_api_access_key(name, text, text) IS
  'Create an access key for the AWS API endpoint, mapped to a role; random ID and secret unless given';
COMMENT ON FUNCTION aurora_serverless.drop_api_access_key(text) IS
  'Drop an access key of the AWS API endpoint';
