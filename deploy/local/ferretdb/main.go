// Command tandem-ferretdb runs FerretDB (MongoDB wire protocol over SQLite) for local runs and tests.
//
// It embeds the FerretDB library instead of `go install`-ing cmd/ferretdb: a binary built that way
// lacks the version file FerretDB's own release build generates, and panics at start-up.
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"log/slog"
	"os"
	"os/signal"
	"syscall"

	"github.com/FerretDB/FerretDB/ferretdb"
)

// ferretDBVersion must match the require line in go.mod.
const ferretDBVersion = "v1.24.2"

func main() {
	listen := flag.String("listen-addr", "127.0.0.1:27017", "TCP address to listen on")
	sqliteURL := flag.String("sqlite-url", "file:data/", "SQLite directory URI (file:DIR/)")
	logLevel := flag.String("log-level", "error", "debug, info, warn or error")
	version := flag.Bool("version", false, "print the FerretDB version and exit")
	flag.Parse()

	if *version {
		fmt.Printf("tandem-ferretdb (FerretDB %s, sqlite)\n", ferretDBVersion)
		return
	}

	var level slog.Level
	if err := level.UnmarshalText([]byte(*logLevel)); err != nil {
		log.Fatalf("bad --log-level: %v", err)
	}
	logger := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: level}))

	server, err := ferretdb.New(&ferretdb.Config{
		Listener:  ferretdb.ListenerConfig{TCP: *listen},
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
