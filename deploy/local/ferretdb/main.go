// Command tandem-ferretdb runs FerretDB (MongoDB wire protocol over SQLite) for local runs and tests.
//
// It embeds the FerretDB library instead of `go install`-ing cmd/ferretdb: a binary built that way
// lacks the version file FerretDB's own release build generates, and panics at start-up.
// FerretDB itself listens on a private Unix socket; clients reach it through the write gate
// (gate.go), which gives every single-document write the atomicity MongoDB guarantees.
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"log/slog"
	"net"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"

	"github.com/FerretDB/FerretDB/ferretdb"
)

// ferretDBVersion must match the require line in go.mod.
const ferretDBVersion = "v1.24.2"

// sourceHash is stamped in at build time (-ldflags "-X main.sourceHash=..."): the fingerprint of this
// directory, which deploy/local/stack.py compares to decide whether to rebuild.
var sourceHash = "unknown"

func main() {
	listen := flag.String("listen-addr", "127.0.0.1:27017", "TCP address to listen on")
	sqliteURL := flag.String("sqlite-url", "file:data/", "SQLite directory URI (file:DIR/)")
	logLevel := flag.String("log-level", "error", "debug, info, warn or error")
	version := flag.Bool("version", false, "print the FerretDB version and exit")
	flag.Parse()

	if *version {
		fmt.Printf("tandem-ferretdb (FerretDB %s, sqlite, source %s)\n", ferretDBVersion, sourceHash)
		return
	}

	var level slog.Level
	if err := level.UnmarshalText([]byte(*logLevel)); err != nil {
		log.Fatalf("bad --log-level: %v", err)
	}
	logger := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: level}))

	private, err := os.MkdirTemp("", "tandem-ferretdb-")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(private)
	socket := filepath.Join(private, "ferretdb.sock")

	listener, err := net.Listen("tcp", *listen)
	if err != nil {
		log.Fatal(err)
	}
	writeGate := &gate{dial: func() (net.Conn, error) { return net.Dial("unix", socket) }, logger: logger}
	go func() {
		if err := writeGate.serve(listener); err != nil {
			logger.Error("listener stopped", "error", err)
		}
	}()

	server, err := ferretdb.New(&ferretdb.Config{
		Listener:  ferretdb.ListenerConfig{Unix: socket},
		Logger:    logger,
		Handler:   "sqlite",
		SQLiteURL: *sqliteURL,
	})
	if err != nil {
		log.Fatal(err)
	}

	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	if err := server.Run(ctx); err != nil && ctx.Err() == nil {
		log.Fatal(err)
	}
}
