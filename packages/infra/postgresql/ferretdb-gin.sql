-- Run once by startInfra (postgres --single -j) right after initdb, in the `postgres` database
-- that FerretDB uses. Statements end with a semicolon followed by an empty line.
--
-- Why: FerretDB v1.24 pushes an equality filter down as `_jsonb -> 'field' @> '"value"'`, but the
-- indexes it creates (for `_id` and for createIndex) are btree indexes on `(_jsonb -> 'field')`,
-- which cannot serve `@>`: every find, update and delete by `_id` is a sequential scan (EXPLAIN:
-- "Seq Scan ... Filter: ((_jsonb -> '_id'::text) @> '"x"'::jsonb)"). GIN (jsonb_path_ops) serves
-- `@>`. These event triggers give every single-field top-level index FerretDB creates a GIN twin
-- on the same expression, and drop the twin when FerretDB drops the index (a dropped collection
-- drops its table and so both). Uniqueness stays with FerretDB's btree index.
-- fastupdate=off: no pending list, so a lookup never scans recent inserts linearly.

CREATE FUNCTION public.complaints_gin_name(schema_name text, index_name text) RETURNS text
LANGUAGE sql IMMUTABLE AS $f$ SELECT 'gin_' || md5(schema_name || '.' || index_name) $f$;

CREATE FUNCTION public.complaints_gin_create() RETURNS event_trigger LANGUAGE plpgsql AS $f$
DECLARE
  cmd record;
  expr text;
BEGIN
  FOR cmd IN SELECT objid, schema_name FROM pg_event_trigger_ddl_commands() WHERE object_type = 'index' LOOP
    SELECT pg_get_indexdef(i.indexrelid, 1, false) INTO expr
      FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_am am ON am.oid = c.relam
      WHERE i.indexrelid = cmd.objid AND am.amname = 'btree' AND i.indnatts = 1;
    IF expr ~ '^\(+_jsonb -> ''[^'']*''::text\)+$' THEN
      EXECUTE format('CREATE INDEX %I ON %s USING gin ((%s) jsonb_path_ops) WITH (fastupdate = off)',
        public.complaints_gin_name(cmd.schema_name, (SELECT relname FROM pg_class WHERE oid = cmd.objid)),
        (SELECT indrelid::regclass::text FROM pg_index WHERE indexrelid = cmd.objid), expr);
    END IF;
  END LOOP;
END $f$;

CREATE FUNCTION public.complaints_gin_drop() RETURNS event_trigger LANGUAGE plpgsql AS $f$
DECLARE
  obj record;
BEGIN
  FOR obj IN SELECT schema_name, object_name FROM pg_event_trigger_dropped_objects() WHERE object_type = 'index' AND original LOOP
    EXECUTE format('DROP INDEX IF EXISTS %I.%I', obj.schema_name, public.complaints_gin_name(obj.schema_name, obj.object_name));
  END LOOP;
END $f$;

CREATE EVENT TRIGGER complaints_gin_create ON ddl_command_end WHEN TAG IN ('CREATE INDEX')
  EXECUTE FUNCTION public.complaints_gin_create();

CREATE EVENT TRIGGER complaints_gin_drop ON sql_drop WHEN TAG IN ('DROP INDEX')
  EXECUTE FUNCTION public.complaints_gin_drop();

