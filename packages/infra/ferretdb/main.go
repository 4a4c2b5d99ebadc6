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

	"github.com/FerretDB/FerretDB/ferretdb"
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
