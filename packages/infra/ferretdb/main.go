// Command ferretdb runs an embedded FerretDB v1 (MongoDB wire protocol) with the
// SQLite or the PostgreSQL backend, for local development and tests.
//
//	ferretdb -listen 127.0.0.1:27018 -dir .data/local/ferretdb [-sqlite-synchronous normal]
//	ferretdb -listen 127.0.0.1:27018 -handler postgresql -postgresql-url postgres://postgres@127.0.0.1:5432/postgres
//
// It exists because `go install github.com/FerretDB/FerretDB/cmd/ferretdb@v1.24.2`
// panics on the missing build/version/version.txt file; the embeddable
// `ferretdb` package does not need that file.
package main

import (
	"context"
	"database/sql"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"os/signal"
	"path/filepath"
	"runtime/debug"
	"strings"
	"syscall"
	"time"

	"github.com/FerretDB/FerretDB/ferretdb"
	_ "modernc.org/sqlite" // the driver FerretDB's SQLite backend uses, for indexIDs
)

func main() {
	listen := flag.String("listen", "127.0.0.1:27017", "TCP address to listen on (host:port)")
	handler := flag.String("handler", "sqlite", "backend: sqlite or postgresql")
	dir := flag.String("dir", "", "sqlite: directory for the SQLite databases (created if missing)")
	synchronous := flag.String("sqlite-synchronous", "normal",
		"sqlite: PRAGMA synchronous in WAL mode: normal (fsync at checkpoints only) or full (fsync per commit)")
	postgresqlURL := flag.String("postgresql-url", "", "postgresql: pgx connection URL, e.g. postgres://user@127.0.0.1:5432/db")
	logLevel := flag.String("log-level", "warn", "log level: debug, info, warn, error")
	showVersion := flag.Bool("version", false, "print the embedded FerretDB version and exit")
	flag.Parse()

	if *showVersion {
		fmt.Printf("ferretdb (embedded, sqlite+postgresql) %s\n", ferretDBVersion())
		return
	}

	if err := run(*listen, *handler, *dir, *synchronous, *postgresqlURL, *logLevel); err != nil {
		fmt.Fprintf(os.Stderr, "ferretdb: %v\n", err)
		os.Exit(1)
	}
}

func run(listen, handler, dir, synchronous, postgresqlURL, logLevel string) error {
	var level slog.Level
	if err := level.UnmarshalText([]byte(logLevel)); err != nil {
		return fmt.Errorf("bad -log-level %q: %w", logLevel, err)
	}

	logger := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: level}))

	config := &ferretdb.Config{
		Listener: ferretdb.ListenerConfig{TCP: listen},
		Logger:   logger,
		Handler:  handler,
	}

	var backend string

	switch handler {
	case "sqlite":
		sqliteURL, err := sqliteURL(dir, synchronous)
		if err != nil {
			return err
		}

		config.SQLiteURL = sqliteURL
		backend = "sqlite " + sqliteURL

	case "postgresql":
		if postgresqlURL == "" {
			return errors.New("-postgresql-url is required with -handler postgresql")
		}

		config.PostgreSQLURL = postgresqlURL
		backend = "postgresql " + postgresqlURL

	default:
		return fmt.Errorf("bad -handler %q (sqlite or postgresql)", handler)
	}

	f, err := ferretdb.New(config)
	if err != nil {
		return err
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	done := make(chan error, 1)
	go func() { done <- f.Run(ctx) }()

	if handler == "sqlite" {
		go indexIDs(ctx, config.SQLiteURL, logger)
	}

	// Run initializes the listener; MongoDBURI blocks until then.
	fmt.Fprintf(os.Stderr, "ferretdb: listening on %s (%s)\n", f.MongoDBURI(), backend)

	err = <-done
	fmt.Fprintln(os.Stderr, "ferretdb: stopped")

	return err
}

// sqliteURL returns the SQLite handler's "file:" URI: an existing directory ending with "/",
// with the pragmas FerretDB adds to every connection (busy_timeout, journal_mode(wal),
// auto_vacuum) plus synchronous.
//
// FerretDB keeps SQLite's default synchronous=FULL: in WAL mode that is an fsync of the WAL at
// every commit. NORMAL fsyncs only at checkpoints; a commit is still written to the WAL file (the
// OS page cache) before it is acknowledged, so it survives kill -9 of any process; only an OS
// crash or a power loss can lose the last commits (the database stays consistent).
func sqliteURL(dir, synchronous string) (string, error) {
	if dir == "" {
		return "", errors.New("-dir is required with -handler sqlite")
	}

	if synchronous != "normal" && synchronous != "full" {
		return "", fmt.Errorf("bad -sqlite-synchronous %q (normal or full)", synchronous)
	}

	abs, err := filepath.Abs(dir)
	if err != nil {
		return "", err
	}

	if err = os.MkdirAll(abs, 0o755); err != nil {
		return "", err
	}

	if !strings.HasSuffix(abs, "/") {
		abs += "/"
	}

	u := &url.URL{Scheme: "file", Path: abs}
	u.RawQuery = url.Values{"_pragma": {"synchronous(" + synchronous + ")"}}.Encode()

	return u.String(), nil
}

// idIndexInterval is how often indexIDs looks for new collections; until then a new collection's
// `_id` lookups scan, which costs nothing while it is small.
const idIndexInterval = time.Second

// indexIDs gives every collection of the SQLite backend an index on the exact expression that
// FerretDB v1.24 filters `_id` with (`_ferretdb_sjson->'$._id'`, internal/backends/sqlite/metadata
// IDColumn). FerretDB's own `_id_` index is on `_ferretdb_sjson->"_id"`, an equal value but a
// different expression, and SQLite only uses an expression index for the same expression: without
// this, EXPLAIN QUERY PLAN shows "SCAN" for every find, update and delete by `_id`, whose cost then
// grows with the collection. The index is ours only: FerretDB does not list it (its metadata table
// holds its indexes) and DROP TABLE (drop of the collection or database) removes it.
//
// Every idIndexInterval, each *.sqlite file changed since the last pass (its own or its WAL's
// modification time): CREATE INDEX for each table in _ferretdb_collections that lacks it. Errors
// (a database being created or dropped right now) are retried on the next pass.
func indexIDs(ctx context.Context, sqliteURL string, logger *slog.Logger) {
	u, err := url.Parse(sqliteURL)
	if err != nil {
		logger.Error("indexIDs: bad SQLite URL", slog.String("url", sqliteURL), slog.Any("error", err))
		return
	}

	checked := map[string]string{} // file -> modification times when last found complete

	ticker := time.NewTicker(idIndexInterval)
	defer ticker.Stop()

	for {
		files, _ := filepath.Glob(filepath.Join(u.Path, "*.sqlite"))
		for _, file := range files {
			// Taken before looking, so a collection created while we look changes it: looked at
			// again next time (so is a file our own CREATE INDEX changed, once).
			stamp := modified(file) + "/" + modified(file+"-wal")
			if checked[file] == stamp {
				continue
			}

			if err := indexIDsIn(ctx, file, u.RawQuery); err != nil {
				if ctx.Err() == nil {
					logger.Debug("indexIDs: will retry", slog.String("file", file), slog.Any("error", err))
				}

				continue
			}

			checked[file] = stamp
		}

		select {
		case <-ctx.Done():
			return
		case <-ticker.C:
		}
	}
}

func modified(file string) string {
	fi, err := os.Stat(file)
	if err != nil {
		return ""
	}

	return fmt.Sprintf("%d:%d", fi.ModTime().UnixNano(), fi.Size())
}

func indexIDsIn(ctx context.Context, file, query string) error {
	// Same pragmas as FerretDB's own connections (busy_timeout waits for its writers).
	db, err := sql.Open("sqlite", (&url.URL{Scheme: "file", Opaque: file, RawQuery: query}).String())
	if err != nil {
		return err
	}
	defer db.Close()

	rows, err := db.QueryContext(ctx, `SELECT c.table_name FROM _ferretdb_collections c WHERE NOT EXISTS `+
		`(SELECT 1 FROM sqlite_master m WHERE m.type = 'index' AND m.name = c.table_name || '__id_lookup')`)
	if err != nil {
		return err
	}

	var tables []string

	for rows.Next() {
		var table string
		if err = rows.Scan(&table); err != nil {
			rows.Close()
			return err
		}

		tables = append(tables, table)
	}

	rows.Close()

	if err = rows.Err(); err != nil {
		return err
	}

	for _, table := range tables {
		q := fmt.Sprintf(`CREATE INDEX IF NOT EXISTS %q ON %q (_ferretdb_sjson->'$._id')`, table+"__id_lookup", table)
		if _, err = db.ExecContext(ctx, q); err != nil {
			return err
		}
	}

	return nil
}

// ferretDBVersion returns the version of the FerretDB module linked into this binary.
func ferretDBVersion() string {
	if bi, ok := debug.ReadBuildInfo(); ok {
		for _, dep := range bi.Deps {
			if dep.Path == "github.com/FerretDB/FerretDB" {
				return dep.Version
			}
		}
	}

	return "unknown"
}
