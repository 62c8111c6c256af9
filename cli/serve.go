package cli

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"strconv"
	"strings"
	"time"

	"roadcover/assistance"
	"roadcover/console"
	"roadcover/database"
	"roadcover/fx"
	"roadcover/geo"
	"roadcover/httpapi"
	"roadcover/payments"
	"roadcover/tesseract"
	"roadcover/world"
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
	noSamples := fs.Bool("no-samples", false, "do not seed sample data (cases, receipts, policies, claims, payments and an account for each role) into an empty default store")
	privateHooks := fs.Bool("allow-private-webhooks", false, "let partners' webhook URLs name loopback and private addresses (env ROADCOVER_ALLOW_PRIVATE_WEBHOOKS=1)")
	adminEmail := fs.String("admin-email", "", "email of the administrator's account created on a fresh store (env ROADCOVER_ADMIN_EMAIL; default "+httpapi.FirstAdminEmail+")")
	responseMinutes := fs.Int("response-minutes", 0, "minutes from the call within which help should be at the car; the queue marks cases past it (env ROADCOVER_RESPONSE_MINUTES; default 45)")
	debtorName := fs.String("debtor-name", "", "our name in payment files (env ROADCOVER_DEBTOR_NAME; default a SAMPLE debtor)")
	debtorID := fs.String("debtor-id", "", "how our bank knows the sender of payment files, SCHEME:ID, e.g. BANK:5566778899 (env ROADCOVER_DEBTOR_ID; optional)")
	debtorAccounts := fs.String("debtor-accounts", "", "our accounts payments leave, CUR:IBAN:BIC,… (env ROADCOVER_DEBTOR_ACCOUNTS; default SAMPLE EUR and SEK accounts)")
	approvalAbove := fs.String("second-approval-above", "", "batch totals above which a second approver is needed, CUR:AMOUNT,… (env ROADCOVER_SECOND_APPROVAL_ABOVE; default EUR:10000.00,SEK:100000.00)")
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

	responseTime := time.Duration(*responseMinutes) * time.Minute
	if *responseMinutes == 0 {
		if v := getenv("ROADCOVER_RESPONSE_MINUTES"); v != "" {
			n, err := strconv.Atoi(v)
			if err != nil || n < 1 {
				return &UsageError{Msg: "serve: ROADCOVER_RESPONSE_MINUTES must be a whole number of minutes from 1"}
			}
			responseTime = time.Duration(n) * time.Minute
		}
	} else if *responseMinutes < 0 {
		return &UsageError{Msg: "serve: --response-minutes must be at least 1"}
	}

	// The service network lives in the store: a fresh store gets the
	// embedded sample network, ROADCOVER_NETWORK names a file to merge in.
	// The engine decides on what the store holds.
	fcfg := world.FromEnv(getenv)
	load, loaded, err := httpapi.EnsureNetwork(ctx, st, httpapi.NewDesk(assistance.Env{}, time.Now), fcfg.NetworkFile)
	if err != nil {
		return fmt.Errorf("serve: %w", err)
	}
	if loaded {
		log.Info("loaded the service network into the store", "sites", load.Sites, "partners_created", load.Partners,
			"file", fcfg.NetworkFile)
	}
	fcfg.Store = st
	fenv, err := world.Env(ctx, fcfg)
	if err != nil {
		return fmt.Errorf("serve: %w", err)
	}
	if r, ok := fenv.Rates.(*fx.Rates); ok {
		if first, last, known := r.Span(); known {
			log.Info("euro reference rates", "first", first.String(), "last", last.String(), "currencies", len(r.Currencies()))
		} else {
			log.Warn("no euro reference rates: receipts in another currency than the limit's wait for a person; import the ECB's with `roadcover rates import`")
		}
	}
	// Load the embedded country boundaries before listening, so that no
	// caller waits for them on the first lookup.
	if _, err := geo.Default(); err != nil {
		return fmt.Errorf("serve: country boundaries: %w", err)
	}
	pay, sample, err := paymentsConfig(pick(*debtorName, "ROADCOVER_DEBTOR_NAME", ""), pick(*debtorID, "ROADCOVER_DEBTOR_ID", ""),
		pick(*debtorAccounts, "ROADCOVER_DEBTOR_ACCOUNTS", ""), pick(*approvalAbove, "ROADCOVER_SECOND_APPROVAL_ABOVE", ""))
	if err != nil {
		return &UsageError{Msg: "serve: " + err.Error()}
	}
	if sample {
		log.Warn("payment files use the SAMPLE debtor's name or accounts: set --debtor-name and --debtor-accounts before paying anyone")
	}
	allowPrivate := *privateHooks || getenv("ROADCOVER_ALLOW_PRIVATE_WEBHOOKS") == "1"
	srv := httpapi.New(httpapi.Config{Store: st, Env: fenv, Log: log, PublicURL: *publicURL, ResponseTime: responseTime,
		AllowPrivateWebhooks: allowPrivate, Payments: pay, OCR: receiptReader(ctx, log)})

	secret, err := httpapi.EnsureAdmin(ctx, st, srv.Desk())
	if err != nil {
		return fmt.Errorf("serve: %w", err)
	}
	// What a person needs to start (the address, the first sign-in, the
	// first token) goes to standard output, apart from the JSON log on
	// standard error; secrets are shown once and never logged.
	if secret != "" {
		fmt.Fprintf(env.Stdout, "roadcover: created an admin token for machines; it is shown only now:\nROADCOVER_ADMIN_TOKEN=%s\n", secret)
	}
	admin, adminPassword, err := httpapi.EnsureFirstAccount(ctx, st, srv.Desk(), pick(*adminEmail, "ROADCOVER_ADMIN_EMAIL", ""), "")
	if err != nil {
		return fmt.Errorf("serve: %w", err)
	}
	// The samples come after the first account, whose making waits for a
	// store without accounts.
	var samples httpapi.Samples
	if embeddedDefault && !*noSamples {
		began := time.Now()
		if samples, err = srv.SeedSamples(ctx); err != nil {
			return fmt.Errorf("serve: %w", err)
		}
		if samples.Seeded {
			log.Info("seeded sample data into an empty store", "partner", httpapi.SamplePartner, "store", dsn,
				"accounts", len(samples.Accounts), "ms", time.Since(began).Milliseconds())
		}
	}

	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return fmt.Errorf("serve: %w", err)
	}
	hs := srv.HTTPServer(*addr)
	bg, stopBG := context.WithCancel(context.WithoutCancel(ctx))
	bgDone := make(chan struct{})
	defer func() {
		stopBG()
		<-bgDone // the workers stop before the store closes
	}()
	go func() {
		defer close(bgDone)
		srv.RunBackground(bg)
	}()
	if n, ok := fenv.Sites.(*world.StoreNetwork); ok {
		go n.Follow(bg, 30*time.Second, func(err error) { log.Warn("reload the service network", "err", err) })
	}

	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(httpapi.Listener(ln)) }()
	consoleURL := ConsoleURL(*publicURL, ln.Addr())
	log.Info("serving", "addr", ln.Addr().String(), "console", consoleURL, "store", st.Kind(), "dsn", database.Redact(dsn))
	fmt.Fprintf(env.Stdout, "roadcover: the desk is at %s (API %s/v1/, store %s)\n", consoleURL,
		strings.TrimSuffix(strings.TrimSuffix(consoleURL, "/"), "/console"), st.Kind())
	if adminPassword != "" {
		fmt.Fprintf(env.Stdout, "roadcover: created the first administrator's account; sign in once with this one-time password, then choose your own:\n"+
			"  console:  %s\n  email:    %s\n  password: %s\n", consoleURL, admin.Email, adminPassword)
	}
	if len(samples.Accounts) > 0 {
		fmt.Fprintf(env.Stdout, "roadcover: created sample accounts to try each role's page on the sample data; each signs in once with its one-time password, then chooses its own:\n")
		for _, a := range samples.Accounts {
			fmt.Fprintf(env.Stdout, "  %-15s %-20s %s\n", a.Role+":", a.Email, a.Password)
		}
	}

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
	<-bgDone
	if err != nil {
		return fmt.Errorf("serve: shutdown: %w", err)
	}
	if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("serve: %w", err)
	}
	log.Info("stopped")
	return nil
}

// ConsoleURL is where the operator console of a service listening on addr
// is reached: under publicURL when one is set, else on the listening
// address (a wildcard address shown as localhost).
func ConsoleURL(publicURL string, addr net.Addr) string {
	if publicURL != "" {
		return strings.TrimRight(publicURL, "/") + console.Prefix
	}
	host, port, err := net.SplitHostPort(addr.String())
	if err != nil {
		return "http://" + addr.String() + console.Prefix
	}
	if ip := net.ParseIP(host); ip != nil && ip.IsUnspecified() {
		host = "localhost"
	}
	return "http://" + net.JoinHostPort(host, port) + console.Prefix
}

// paymentsConfig is money out's configuration from serve's flags: the
// sample configuration (payments.Sample) for what is not given; sample
// reports whether the debtor's name or accounts are the sample ones.
func paymentsConfig(name, id, accounts, thresholds string) (payments.Config, bool, error) {
	c := payments.Sample()
	sample := name == "" || accounts == ""
	if name != "" {
		c.Debtor.Name = name
	}
	if id != "" {
		scheme, v, ok := strings.Cut(id, ":")
		if !ok || scheme == "" || v == "" {
			return c, false, fmt.Errorf("--debtor-id %q is not SCHEME:ID", id)
		}
		c.Debtor.InitiatorScheme, c.Debtor.InitiatorID = scheme, v
	}
	if accounts != "" {
		as, err := payments.ParseDebtorAccounts(accounts)
		if err != nil {
			return c, false, fmt.Errorf("--debtor-accounts: %w", err)
		}
		c.Debtor.Accounts = as
	}
	if thresholds != "" {
		t, err := payments.ParseThresholds(thresholds)
		if err != nil {
			return c, false, fmt.Errorf("--second-approval-above: %w", err)
		}
		c.Policy.SecondApprovalAbove = t
	}
	if err := c.Check(); err != nil {
		return c, false, fmt.Errorf("payments configuration: %w", err)
	}
	return c, sample, nil
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
