package cli

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"roadcover"
	"roadcover/assistance"
	"roadcover/authtoken"
	"roadcover/database"
	"roadcover/desk"
	"roadcover/httpapi"
	"roadcover/store"
)

func init() {
	Register(Command{Name: "accounts create", Summary: "create a named account that signs in to the console (prints a one-time password, or reads one from stdin)", Run: accountsCreate})
	Register(Command{Name: "accounts list", Summary: "list the named accounts", Run: accountsList})
	Register(Command{Name: "accounts disable", Summary: "disable an account by email: its sessions end and it cannot sign in", Run: accountsDisable})
	Register(Command{Name: "accounts enable", Summary: "enable a disabled account by email", Run: accountsEnable})
	Register(Command{Name: "accounts reset-password", Summary: "give an account a new one-time password (printed once); its sessions end", Run: accountsResetPassword})
	Register(Command{Name: "accounts set", Summary: "change an account's --role, --payment-limit or --name, by email", Run: accountsSet})
}

// commandLine is who the account events name for a change made here: the
// command line of a machine with the store's credentials.
var commandLine = desk.Actor{TokenID: "cli", Role: "system"}

func accountsCreate(ctx context.Context, env Env) error {
	fs := NewFlags("accounts create", env)
	dsn := storeDSNFlag(fs, env)
	role := fs.String("role", "", "role: "+strings.Join(desk.AccountRoles, ", "))
	name := fs.String("name", "", "the person's name")
	email := fs.String("email", "", "the email the person signs in with")
	fromStdin := fs.Bool("password-stdin", false, "read the password from the first line of standard input instead of making a one-time password")
	limit := fs.String("payment-limit", "", "claims_handler only: the most paid out on one claim (SEK, e.g. 20000.00) without a second handler")
	rest, err := ParseInterspersed(fs, env.Args)
	if err != nil {
		return err
	}
	if len(rest) > 0 {
		return &UsageError{Msg: "accounts create: unexpected arguments " + strings.Join(rest, " ")}
	}
	req := desk.AccountRequest{Email: *email, Name: *name, Role: *role}
	if *limit != "" {
		v, err := roadcover.ParseMinor(*limit)
		if err != nil {
			ie := &roadcover.InputError{}
			ie.Add("payment-limit", roadcover.CodeInvalidInput, "must be an amount in SEK such as 20000.00")
			return ie
		}
		req.PaymentLimit = v
	}
	if *fromStdin {
		line, err := bufio.NewReader(env.Stdin).ReadString('\n')
		if err != nil && line == "" {
			return &UsageError{Msg: "accounts create: --password-stdin: no password on standard input"}
		}
		req.Password = strings.TrimRight(line, "\r\n")
		if req.Password == "" {
			ie := &roadcover.InputError{}
			ie.Add("password", roadcover.CodeInvalidInput, "empty on standard input")
			return ie
		}
	}
	ie := &roadcover.InputError{}
	req.Check(ie)
	if err := ie.Err(); err != nil {
		return err
	}
	s, err := database.Open(ctx, dsn())
	if err != nil {
		return err
	}
	defer s.Close()
	a, oneTime, err := httpapi.NewAccountBy(ctx, s, httpapi.NewDesk(assistance.Env{}, time.Now), commandLine, req)
	if err != nil {
		var ce *roadcover.Error
		if errors.As(err, &ce) {
			return err
		}
		return fmt.Errorf("accounts create: %w", err)
	}
	fmt.Fprintf(env.Stdout, "created account %s (%s, %s)\n", a.ID, a.Role, a.Email)
	if oneTime != "" {
		fmt.Fprintln(env.Stdout, "one-time password, shown only now; it must be changed at the first sign-in:")
		fmt.Fprintln(env.Stdout, oneTime)
	}
	return nil
}

func accountsList(ctx context.Context, env Env) error {
	fs := NewFlags("accounts list", env)
	dsn := storeDSNFlag(fs, env)
	if _, err := ParseInterspersed(fs, env.Args); err != nil {
		return err
	}
	s, err := database.Open(ctx, dsn())
	if err != nil {
		return err
	}
	defer s.Close()
	var as []store.Account
	if err := s.View(ctx, func(tx store.Tx) error {
		var err error
		as, err = tx.ListAccounts(ctx)
		return err
	}); err != nil {
		return fmt.Errorf("accounts list: %w", err)
	}
	w := tabwriter.NewWriter(env.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(w, "ID\tROLE\tEMAIL\tNAME\tLIMIT (SEK)\tSTATE\tLAST SIGN-IN")
	for _, a := range as {
		state := "active"
		switch {
		case a.Disabled:
			state = "disabled"
		case a.PasswordChangeDue:
			state = "one-time password"
		}
		limit, last := "-", "never"
		if a.Role == desk.RoleClaims {
			limit = roadcover.FormatMinor(a.PaymentLimit)
		}
		if !a.LastSignInAt.IsZero() {
			last = a.LastSignInAt.UTC().Format("2006-01-02 15:04Z")
		}
		fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", a.ID, a.Role, a.Email, a.Name, limit, state, last)
	}
	return w.Flush()
}

// accountArgs parses a command's flags and its one argument, the
// account's email.
func accountArgs(fs *flag.FlagSet, env Env, name string) (string, error) {
	rest, err := ParseInterspersed(fs, env.Args)
	if err != nil {
		return "", err
	}
	if len(rest) != 1 {
		return "", &UsageError{Msg: name + ": give the account's email, and nothing else (got " + strconv.Itoa(len(rest)) + " arguments)"}
	}
	return desk.NormalEmail(rest[0]), nil
}

// changeAccount runs change on the account with the email, in one
// transaction of the store dsn names.
func changeAccount(ctx context.Context, dsn, email string, change func(ctx context.Context, tx store.Tx, d *desk.Desk, id string) (store.Account, error)) (store.Account, error) {
	s, err := database.Open(ctx, dsn)
	if err != nil {
		return store.Account{}, err
	}
	defer s.Close()
	d := httpapi.NewDesk(assistance.Env{}, time.Now)
	var a store.Account
	err = s.Update(ctx, func(tx store.Tx) error {
		found, err := tx.AccountByEmail(ctx, email)
		if errors.Is(err, store.ErrNotFound) {
			return roadcover.Errorf(roadcover.CodeNotFound, "no account with the email "+email+" (roadcover accounts list shows them)")
		}
		if err != nil {
			return err
		}
		a, err = change(ctx, tx, d, found.ID)
		return err
	})
	return a, err
}

func accountsDisable(ctx context.Context, env Env) error { return accountsSetDisabled(ctx, env, true) }
func accountsEnable(ctx context.Context, env Env) error  { return accountsSetDisabled(ctx, env, false) }

func accountsSetDisabled(ctx context.Context, env Env, disabled bool) error {
	name := "accounts enable"
	if disabled {
		name = "accounts disable"
	}
	fs := NewFlags(name, env)
	dsn := storeDSNFlag(fs, env)
	email, err := accountArgs(fs, env, name)
	if err != nil {
		return err
	}
	a, err := changeAccount(ctx, dsn(), email, func(ctx context.Context, tx store.Tx, d *desk.Desk, id string) (store.Account, error) {
		return d.ChangeAccount(ctx, tx, commandLine, id, 0, desk.AccountChange{Disabled: &disabled})
	})
	if err != nil {
		return err
	}
	if disabled {
		fmt.Fprintf(env.Stdout, "disabled account %s (%s); its sessions have ended\n", a.ID, a.Email)
	} else {
		fmt.Fprintf(env.Stdout, "enabled account %s (%s)\n", a.ID, a.Email)
	}
	return nil
}

func accountsResetPassword(ctx context.Context, env Env) error {
	fs := NewFlags("accounts reset-password", env)
	dsn := storeDSNFlag(fs, env)
	email, err := accountArgs(fs, env, "accounts reset-password")
	if err != nil {
		return err
	}
	oneTime := authtoken.NewPassword()
	hash := authtoken.HashPassword(oneTime)
	a, err := changeAccount(ctx, dsn(), email, func(ctx context.Context, tx store.Tx, d *desk.Desk, id string) (store.Account, error) {
		return d.ResetPassword(ctx, tx, commandLine, id, 0, hash)
	})
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "reset the password of account %s (%s); its sessions have ended\n", a.ID, a.Email)
	fmt.Fprintln(env.Stdout, "one-time password, shown only now; it must be changed at the next sign-in:")
	fmt.Fprintln(env.Stdout, oneTime)
	return nil
}

func accountsSet(ctx context.Context, env Env) error {
	fs := NewFlags("accounts set", env)
	dsn := storeDSNFlag(fs, env)
	role := fs.String("role", "", "the new role: "+strings.Join(desk.AccountRoles, ", "))
	limit := fs.String("payment-limit", "", "claims_handler only: the most paid out on one claim (SEK, e.g. 20000.00) without a second handler")
	name := fs.String("name", "", "the person's name")
	email, err := accountArgs(fs, env, "accounts set")
	if err != nil {
		return err
	}
	var c desk.AccountChange
	ie := &roadcover.InputError{}
	fs.Visit(func(f *flag.Flag) {
		switch f.Name {
		case "role":
			c.Role = role
		case "name":
			c.Name = name
		case "payment-limit":
			v, err := roadcover.ParseMinor(*limit)
			if err != nil || v < 0 {
				ie.Add("payment-limit", roadcover.CodeInvalidInput, "must be an amount in SEK such as 20000.00")
				return
			}
			c.PaymentLimit = &v
		}
	})
	if c.Empty() && !ie.Has("payment-limit") {
		return &UsageError{Msg: "accounts set: nothing to change: give --role, --payment-limit or --name"}
	}
	c.Check(ie)
	if err := cliFields(ie).Err(); err != nil {
		return err
	}
	a, err := changeAccount(ctx, dsn(), email, func(ctx context.Context, tx store.Tx, d *desk.Desk, id string) (store.Account, error) {
		return d.ChangeAccount(ctx, tx, commandLine, id, 0, c)
	})
	var fe *roadcover.InputError
	if errors.As(err, &fe) {
		return cliFields(fe)
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "account %s (%s): %s, role %s", a.ID, a.Email, a.Name, a.Role)
	if a.Role == desk.RoleClaims {
		fmt.Fprintf(env.Stdout, ", payment limit %s SEK", roadcover.FormatMinor(a.PaymentLimit))
	}
	fmt.Fprintln(env.Stdout)
	return nil
}

// cliFields names the fields of an account change as the flags that set
// them (payment_limit is --payment-limit).
func cliFields(ie *roadcover.InputError) *roadcover.InputError {
	for i := range ie.Errors {
		if ie.Errors[i].Field == "payment_limit" {
			ie.Errors[i].Field = "payment-limit"
		}
	}
	return ie
}
