package cli

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"roadcover"
	"roadcover/database"
	"roadcover/desk"
	"roadcover/httpapi"
	"roadcover/store"
	"roadcover/world"
)

func init() {
	Register(Command{Name: "cases import", Summary: "load past assistance cases (JSON Lines: one case body per line) into the store", Run: casesImport})
}

// maxImportLine bounds one line of an import (a case body with its intake).
const maxImportLine = 1 << 20

// casesImport reads past cases, one case body (as for POST /v1/cases) per
// line, decides each as it was reported and writes them through the same
// store code as the service, --batch cases per transaction. Every line is
// read and checked before anything is written: a bad line changes nothing
// and is named (line:N.field).
func casesImport(ctx context.Context, env Env) error {
	fs := NewFlags("cases import", env)
	dsn := storeDSNFlag(fs, env)
	batch := fs.Int("batch", 500, "cases per transaction")
	pos, err := ParseInterspersed(fs, env.Args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return &UsageError{Msg: "usage: roadcover cases import [--db …] [--batch N] FILE (- for standard input)"}
	}
	if *batch < 1 || *batch > 100000 {
		return &UsageError{Msg: "cases import: --batch must be from 1 to 100000"}
	}
	name := pos[0]
	if name == "-" {
		name = ""
	}
	data, err := ReadInput(env, name)
	if err != nil {
		return fmt.Errorf("cases import: %w", err)
	}
	aenv, err := world.Env(ctx, world.FromEnv(env.Getenv))
	if err != nil {
		return fmt.Errorf("cases import: %w", err)
	}
	d := httpapi.NewDesk(aenv, time.Now)
	actor := desk.Actor{TokenID: "import", Role: "system"}
	var ncs []desk.NewCase
	bad := &roadcover.InputError{}
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 64<<10), maxImportLine)
	line := 0
	for sc.Scan() {
		line++
		if len(bytes.TrimSpace(sc.Bytes())) == 0 {
			continue
		}
		nc, err := d.ReadPastCase(sc.Bytes(), actor)
		var ie *roadcover.InputError
		switch {
		case errors.As(err, &ie):
			for _, f := range ie.Errors {
				bad.Add(fmt.Sprintf("line:%d.%s", line, f.Field), f.Code, f.Detail)
			}
		case err != nil:
			return fmt.Errorf("cases import: line %d: %w", line, err)
		default:
			ncs = append(ncs, nc)
		}
	}
	if err := sc.Err(); err != nil {
		bad.Add(fmt.Sprintf("line:%d", line+1), roadcover.CodeInvalidInput, "cannot be read: "+err.Error())
	}
	if err := bad.Err(); err != nil {
		return err
	}
	st, err := database.Open(ctx, dsn())
	if err != nil {
		return err
	}
	defer st.Close()
	start := time.Now()
	written := 0
	for len(ncs) > 0 {
		n := min(*batch, len(ncs))
		part := ncs[:n]
		if err := st.Update(ctx, func(tx store.Tx) error { return d.CreateMany(ctx, tx, part) }); err != nil {
			return fmt.Errorf("cases import: after %d cases written: %w", written, err)
		}
		written += n
		ncs = ncs[n:]
	}
	secs := time.Since(start).Seconds()
	fmt.Fprintf(env.Stdout, "imported %d cases in %.2f s (%s)\n", written, secs, strings.TrimSpace(rate(written, secs)))
	return nil
}

func rate(n int, secs float64) string {
	if secs <= 0 {
		return ""
	}
	return fmt.Sprintf("%.0f cases/s", float64(n)/secs)
}
