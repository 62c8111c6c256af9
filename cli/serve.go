package cli

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"strings"
	"time"

	"roadcover/database"
	"roadcover/facts"
	"roadcover/geo"
	"roadcover/httpapi"
	"roadcover/tesseract"
)

func init() {
	Register(Command{Name: "serve", Summary: "run the assistance desk HTTP service", Run: serve})
}

// serve runs `roadcover serve [--addr 127.0.0.1:8080] [--db FILE|postgres://…]`.
func serve(ctx context.Context, env Env) error {
	fs := NewFlags("serve", env)
	addr := fs.String("addr", "", "listen address (env ROADCOVER_ADDR; default 127.0.0.1:8080)")
	db := fs.String("db", "", "store: a SQLite file or postgres://… (env ROADCOVER_DB; default roadcover.db)")
	publicURL := fs.String("public-url", "", "base URL of tracking links (env ROADCOVER_PUBLIC_URL; default from the request)")
	logLevel := fs.String("log-level", "", "debug, info, warn or error (env ROADCOVER_LOG_LEVEL; default info)")
	noSamples := fs.Bool("no-samples", false, "do not seed sample data into an empty default store")
	privateHooks := fs.Bool("allow-private-webhooks", false, "let partners' webhook URLs name loopback and private addresses (env ROADCOVER_ALLOW_PRIVATE_WEBHOOKS=1)")
	if err := fs.Parse(env.Args); err != nil {
		return FlagError(err)
	}
	if fs.NArg() > 0 {
		return &UsageError{Msg: "serve takes no arguments: " + strings.Join(fs.Args(), " ")}
	}
	getenv := env.Getenv
	if getenv == nil {
		getenv = os.Getenv
	}
	pick := func(flag, envName, def string) string {
		if flag != "" {
			return flag
		}
		if v := getenv(envName); v != "" {
			return v
		}
		return def
	}
	*addr = pick(*addr, "ROADCOVER_ADDR", "127.0.0.1:8080")
	*publicURL = pick(*publicURL, "ROADCOVER_PUBLIC_URL", "")
	var level slog.Level
	if err := level.UnmarshalText([]byte(pick(*logLevel, "ROADCOVER_LOG_LEVEL", "info"))); err != nil {
		return &UsageError{Msg: "serve: --log-level: " + err.Error()}
	}
	log := slog.New(slog.NewJSONHandler(env.Stderr, &slog.HandlerOptions{Level: level}))

	dsn := database.Resolve(*db, getenv)
	embeddedDefault := *db == "" && getenv(database.EnvVar) == ""
	st, err := database.Open(ctx, dsn)
	if err != nil {
		return fmt.Errorf("serve: open store %s: %w", database.Redact(dsn), err)
	}
	defer st.Close()

	fenv, err := facts.Env(ctx, facts.FromEnv(getenv))
	if err != nil {
		return fmt.Errorf("serve: %w", err)
	}
	// Load the embedded country boundaries before listening, so that no
	// caller waits for them on the first lookup.
	if _, err := geo.Default(); err != nil {
		return fmt.Errorf("serve: country boundaries: %w", err)
	}
	allowPrivate := *privateHooks || getenv("ROADCOVER_ALLOW_PRIVATE_WEBHOOKS") == "1"
	srv := httpapi.New(httpapi.Config{Store: st, Env: fenv, Log: log, PublicURL: *publicURL, AllowPrivateWebhooks: allowPrivate,
		OCR: receiptReader(ctx, log)})

	if embeddedDefault && !*noSamples {
		seeded, err := srv.SeedSamples(ctx)
		if err != nil {
			return fmt.Errorf("serve: %w", err)
		}
		if seeded {
			log.Info("seeded sample data into an empty store", "partner", httpapi.SamplePartner, "store", dsn)
		}
	}
	secret, err := httpapi.EnsureAdmin(ctx, st, srv.Desk())
	if err != nil {
		return fmt.Errorf("serve: %w", err)
	}
	if secret != "" {
		fmt.Fprintf(env.Stderr, "roadcover: created an admin token; it is shown only now:\nROADCOVER_ADMIN_TOKEN=%s\n", secret)
	}

	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return fmt.Errorf("serve: %w", err)
	}
	hs := srv.HTTPServer(*addr)
	bg, stopBG := context.WithCancel(context.WithoutCancel(ctx))
	defer stopBG()
	go srv.RunBackground(bg)

	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(httpapi.Listener(ln)) }()
	log.Info("serving", "addr", ln.Addr().String(), "store", st.Kind(), "dsn", database.Redact(dsn))

	select {
	case err := <-errc:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	log.Info("shutting down: finishing requests in flight")
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
	defer cancel()
	err = hs.Shutdown(sctx)
	stopBG()
	if err != nil {
		return fmt.Errorf("serve: shutdown: %w", err)
	}
	if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("serve: %w", err)
	}
	log.Info("stopped")
	return nil
}

// receiptReader is the OCR that offers amount, date and merchant read from
// receipt images: Tesseract with the languages of the covered countries'
// receipts, or English alone, or none when it is not installed.
func receiptReader(ctx context.Context, log *slog.Logger) httpapi.ReceiptReader {
	r, err := tesseract.New(ctx, "", "eng", "deu", "dan", "swe", "por")
	if err != nil {
		r, err = tesseract.New(ctx, "", "eng")
	}
	if err != nil {
		log.Info("receipt images are not read (no OCR)", "err", err)
		return nil
	}
	log.Info("receipt images are read with Tesseract", "languages", strings.Join(r.Languages, "+"))
	return r
}
