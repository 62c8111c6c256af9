package storetest

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"roadcover"
	"roadcover/store"
)

// The receipts of cases: files kept once by SHA-256, receipts with their
// columns, line versions, the review queue and the lock of a case's
// receipts.

func receiptFile(content []byte, mediaType string) store.ReceiptFile {
	sum := sha256.Sum256(content)
	return store.ReceiptFile{SHA256: hex.EncodeToString(sum[:]), MediaType: mediaType, Size: int64(len(content)),
		Content: content, CreatedAt: base}
}

// newReceipt is a receipt of caseID on file f with its first line.
func (r *runner) newReceipt(caseID string, f store.ReceiptFile, at time.Time, needsReview bool) (store.Receipt, store.ReceiptLine) {
	id := r.id("rcp")
	status := "approved"
	if needsReview {
		status = "cut"
	}
	rc := store.Receipt{ID: id, CaseID: caseID, File: f.SHA256,
		Part:     json.RawMessage(`{"category":"hotel","amount":"450.00","currency":"EUR","merchant":"Hotel Nord"}`),
		Category: "hotel", Date: roadcover.Date{Year: 2026, Month: 7, Day: 3},
		Amount: roadcover.Money{Minor: 45000, Currency: "EUR"}, Merchant: "Hotel Nord",
		PHash: 0xfedcba9876543210, HasPHash: f.MediaType != "application/pdf",
		Payee:      json.RawMessage(`{"id":"driver","name":"Test Driver","account":{"method":"iban","iban":"DE89370400440532013000"}}`),
		Duplicates: json.RawMessage(`[]`), Via: store.ViaOperator, Actor: actor, CreatedAt: at,
		LineNo: 1, Status: status, NeedsReview: needsReview, UpdatedAt: at}
	l := store.ReceiptLine{ReceiptID: id, No: 1, Action: "check", Status: status,
		Amount: roadcover.Money{Minor: 40000, Currency: "EUR"}, Line: json.RawMessage(`{"receipt":"` + id + `","status":"` + status + `"}`),
		At: at, Actor: actor}
	return rc, l
}

func sameReceipt(t *testing.T, got, want store.Receipt) {
	t.Helper()
	if got.ID != want.ID || got.CaseID != want.CaseID || got.File != want.File || !bytes.Equal(got.Part, want.Part) ||
		got.Category != want.Category || got.Date != want.Date || got.Amount != want.Amount || got.Merchant != want.Merchant ||
		got.HasPHash != want.HasPHash || (want.HasPHash && got.PHash != want.PHash) ||
		!bytes.Equal(got.Payee, want.Payee) || !bytes.Equal(got.Suggestion, want.Suggestion) ||
		!bytes.Equal(got.Duplicates, want.Duplicates) || got.Via != want.Via || got.Actor != want.Actor ||
		!got.CreatedAt.Equal(want.CreatedAt) || got.LineNo != want.LineNo || got.Status != want.Status ||
		got.NeedsReview != want.NeedsReview || got.PayableNo != want.PayableNo || !got.UpdatedAt.Equal(want.UpdatedAt) {
		t.Fatalf("receipt differs:\n got %+v\nwant %+v", got, want)
	}
	if got.CreatedAt.Location() != time.UTC || got.Line.At.Location() != time.UTC {
		t.Fatalf("receipt %s: times not in UTC", got.ID)
	}
}

func sameLine(t *testing.T, got, want store.ReceiptLine) {
	t.Helper()
	if got.ReceiptID != want.ReceiptID || got.No != want.No || got.Action != want.Action || got.Status != want.Status ||
		got.Amount != want.Amount || !bytes.Equal(got.Line, want.Line) || !got.At.Equal(want.At) || got.Actor != want.Actor {
		t.Fatalf("line differs:\n got %+v\nwant %+v", got, want)
	}
}

func (r *runner) receiptFiles(t *testing.T) {
	ctx := ctxT(t)
	content := []byte("%PDF-1.7 " + r.id("pdf"))
	f := receiptFile(content, "application/pdf")
	var first, second bool
	update(t, r.s, func(tx store.Tx) error {
		var err error
		first, err = tx.PutReceiptFile(ctx, f)
		return err
	})
	update(t, r.s, func(tx store.Tx) error {
		again := f
		again.CreatedAt = base.Add(time.Hour)
		var err error
		second, err = tx.PutReceiptFile(ctx, again)
		return err
	})
	if !first || second {
		t.Fatalf("the first put stored %v, the second %v: want true, false", first, second)
	}
	view(t, r.s, func(tx store.Tx) error {
		got, err := tx.ReceiptFile(ctx, f.SHA256)
		if err != nil {
			return err
		}
		if !bytes.Equal(got.Content, content) || got.MediaType != f.MediaType || got.Size != f.Size || !got.CreatedAt.Equal(base) {
			t.Fatalf("file %+v", got)
		}
		_, err = tx.ReceiptFile(ctx, "00")
		wantErr(t, "unknown file", err, store.ErrNotFound)
		return nil
	})

	// A large file (4 MiB of bytes of every value) comes back as it went in.
	big := make([]byte, 4<<20)
	for i := range big {
		big[i] = byte(i*7 + i>>9)
	}
	bf := receiptFile(big, "image/jpeg")
	update(t, r.s, func(tx store.Tx) error { _, err := tx.PutReceiptFile(ctx, bf); return err })
	view(t, r.s, func(tx store.Tx) error {
		got, err := tx.ReceiptFile(ctx, bf.SHA256)
		if err != nil {
			return err
		}
		if !bytes.Equal(got.Content, big) {
			t.Fatal("a 4 MiB file came back changed")
		}
		return nil
	})

	// A file put in an Update that fails is not kept.
	lost := receiptFile([]byte("lost "+r.id("x")), "image/png")
	err := r.s.Update(ctx, func(tx store.Tx) error {
		if _, err := tx.PutReceiptFile(ctx, lost); err != nil {
			return err
		}
		return errors.New("roll back")
	})
	if err == nil {
		t.Fatal("the failing Update succeeded")
	}
	view(t, r.s, func(tx store.Tx) error {
		_, err := tx.ReceiptFile(ctx, lost.SHA256)
		wantErr(t, "file of a rolled-back Update", err, store.ErrNotFound)
		return nil
	})
}

func (r *runner) receipts(t *testing.T) {
	ctx := ctxT(t)
	c := r.insertCase(t, base)
	other := r.insertCase(t, base)
	f := receiptFile([]byte("\xff\xd8\xff "+r.id("jpeg")), "image/jpeg")
	pdf := receiptFile([]byte("%PDF-1.4 "+r.id("pdf")), "application/pdf")
	a, la := r.newReceipt(c.ID, f, base, false)
	b, lb := r.newReceipt(c.ID, f, base.Add(time.Minute), true) // the same file again
	b.Duplicates = json.RawMessage(`[{"receipt":"` + a.ID + `","why":["same_content"]}]`)
	b.Suggestion = json.RawMessage(`{"amount":{"amount":"450.00","currency":"EUR"}}`)
	p, lp := r.newReceipt(c.ID, pdf, base.Add(2*time.Minute), false)
	p.Payee = nil
	o, lo := r.newReceipt(other.ID, pdf, base.Add(3*time.Minute), true)
	update(t, r.s, func(tx store.Tx) error {
		for _, x := range []store.ReceiptFile{f, pdf} {
			if _, err := tx.PutReceiptFile(ctx, x); err != nil {
				return err
			}
		}
		if err := tx.LockCaseReceipts(ctx, c.ID); err != nil {
			return err
		}
		for _, x := range []struct {
			r store.Receipt
			l store.ReceiptLine
		}{{a, la}, {b, lb}, {p, lp}, {o, lo}} {
			if err := tx.InsertReceipt(ctx, x.r, x.l); err != nil {
				return err
			}
		}
		return nil
	})
	view(t, r.s, func(tx store.Tx) error {
		got, err := tx.GetReceipt(ctx, b.ID)
		if err != nil {
			return err
		}
		sameReceipt(t, got, b)
		sameLine(t, got.Line, lb)
		if got.FileType != "image/jpeg" || got.FileSize != f.Size {
			t.Fatalf("file of the receipt: %s %d", got.FileType, got.FileSize)
		}
		list, err := tx.CaseReceipts(ctx, c.ID)
		if err != nil {
			return err
		}
		if len(list) != 3 || list[0].ID != a.ID || list[1].ID != b.ID || list[2].ID != p.ID {
			t.Fatalf("receipts of the case: %d", len(list))
		}
		sameReceipt(t, list[2], p)
		if list[2].FileType != "application/pdf" {
			t.Fatalf("pdf receipt: %+v", list[2])
		}
		_, err = tx.GetReceipt(ctx, "nothing")
		wantErr(t, "unknown receipt", err, store.ErrNotFound)
		byFile, err := tx.FileReceipts(ctx, pdf.SHA256)
		if err != nil {
			return err
		}
		if len(byFile) != 2 || byFile[0].ID != p.ID || byFile[1].ID != o.ID || byFile[1].CaseID != other.ID {
			t.Fatalf("receipts of the pdf file: %+v", byFile)
		}
		if nofile, err := tx.FileReceipts(ctx, "nothing"); err != nil || len(nofile) != 0 {
			t.Fatalf("receipts of no file: %v %v", nofile, err)
		}
		none, err := tx.CaseReceipts(ctx, "nothing")
		if err != nil || len(none) != 0 {
			t.Fatalf("receipts of no case: %v %v", none, err)
		}
		return nil
	})

	// Refused: an unknown case, an unknown file, a taken id, a first line
	// that is not number 1.
	bad, lbad := r.newReceipt("nothing", f, base, false)
	err := r.s.Update(ctx, func(tx store.Tx) error { return tx.InsertReceipt(ctx, bad, lbad) })
	wantErr(t, "receipt of an unknown case", err, store.ErrNotFound)
	bad, lbad = r.newReceipt(c.ID, receiptFile([]byte("never stored"), "image/png"), base, false)
	err = r.s.Update(ctx, func(tx store.Tx) error { return tx.InsertReceipt(ctx, bad, lbad) })
	wantErr(t, "receipt of an unknown file", err, store.ErrNotFound)
	err = r.s.Update(ctx, func(tx store.Tx) error { return tx.InsertReceipt(ctx, a, la) })
	wantErr(t, "receipt id taken", err, store.ErrConflict)
	bad, lbad = r.newReceipt(c.ID, f, base, false)
	lbad.No = 2
	if err := r.s.Update(ctx, func(tx store.Tx) error { return tx.InsertReceipt(ctx, bad, lbad) }); err == nil {
		t.Fatal("a first line numbered 2 was stored")
	}
	err = r.s.Update(ctx, func(tx store.Tx) error { return tx.LockCaseReceipts(ctx, "nothing") })
	wantErr(t, "lock of an unknown case", err, store.ErrNotFound)
}

func (r *runner) receiptLines(t *testing.T) {
	ctx := ctxT(t)
	c := r.insertCase(t, base)
	f := receiptFile([]byte("\x89PNG "+r.id("png")), "image/png")
	rc, l1 := r.newReceipt(c.ID, f, base, true)
	update(t, r.s, func(tx store.Tx) error {
		if _, err := tx.PutReceiptFile(ctx, f); err != nil {
			return err
		}
		return tx.InsertReceipt(ctx, rc, l1)
	})
	reviewer := store.Actor{TokenID: "tok-rev", Role: "operator"}
	at := base.Add(time.Hour)
	next := func(no int64, action, status string, minor int64) (store.Receipt, store.ReceiptLine) {
		x := rc
		x.LineNo, x.Status, x.NeedsReview, x.UpdatedAt = no, status, false, at
		if status != "refused" {
			x.PayableNo = no
		}
		return x, store.ReceiptLine{ReceiptID: rc.ID, No: no, Action: action, Status: status,
			Amount: roadcover.Money{Minor: minor, Currency: "EUR"}, Line: json.RawMessage(fmt.Sprintf(`{"no":%d}`, no)),
			At: at, Actor: reviewer}
	}
	r2, l2 := next(2, "cut", "cut", 30000)
	update(t, r.s, func(tx store.Tx) error { return tx.AppendReceiptLine(ctx, r2, l2) })

	// A second review made on line 1 (read before the first review
	// committed) is stale; the lines stay as they are.
	stale, lstale := next(2, "refuse", "refused", 0)
	err := r.s.Update(ctx, func(tx store.Tx) error { return tx.AppendReceiptLine(ctx, stale, lstale) })
	wantErr(t, "review of a line that is not current", err, store.ErrStale)
	ghost, lghost := next(2, "approve", "approved", 1)
	ghost.ID, lghost.ReceiptID = "nothing", "nothing"
	err = r.s.Update(ctx, func(tx store.Tx) error { return tx.AppendReceiptLine(ctx, ghost, lghost) })
	wantErr(t, "line of an unknown receipt", err, store.ErrNotFound)

	r3, l3 := next(3, "refuse", "refused", 0)
	r3.PayableNo = 2
	update(t, r.s, func(tx store.Tx) error { return tx.AppendReceiptLine(ctx, r3, l3) })
	view(t, r.s, func(tx store.Tx) error {
		got, err := tx.GetReceipt(ctx, rc.ID)
		if err != nil {
			return err
		}
		sameReceipt(t, got, r3)
		sameLine(t, got.Line, l3)
		lines, err := tx.ReceiptLines(ctx, rc.ID)
		if err != nil {
			return err
		}
		if len(lines) != 3 {
			t.Fatalf("%d lines", len(lines))
		}
		for i, want := range []store.ReceiptLine{l1, l2, l3} {
			sameLine(t, lines[i], want)
		}
		_, err = tx.ReceiptLines(ctx, "nothing")
		wantErr(t, "lines of an unknown receipt", err, store.ErrNotFound)
		return nil
	})

	// A payable recorded later for the current line.
	update(t, r.s, func(tx store.Tx) error { return tx.SetReceiptPayable(ctx, rc.ID, 3, at.Add(time.Minute)) })
	err = r.s.Update(ctx, func(tx store.Tx) error { return tx.SetReceiptPayable(ctx, rc.ID, 2, at) })
	wantErr(t, "payable of a line that is not current", err, store.ErrStale)
	view(t, r.s, func(tx store.Tx) error {
		got, err := tx.GetReceipt(ctx, rc.ID)
		if err != nil {
			return err
		}
		if got.PayableNo != 3 || !got.UpdatedAt.Equal(at.Add(time.Minute)) {
			t.Fatalf("payable %d at %v", got.PayableNo, got.UpdatedAt)
		}
		return nil
	})
}

func (r *runner) reviewQueue(t *testing.T) {
	ctx := ctxT(t)
	c := r.insertCase(t, base)
	f := receiptFile([]byte("\xff\xd8\xff "+r.id("q")), "image/jpeg")
	// Far in the future of every other subtest's receipts, so that this
	// queue's are the last.
	at := base.AddDate(5, 0, 0)
	var want []string
	var all []store.Receipt
	update(t, r.s, func(tx store.Tx) error {
		if _, err := tx.PutReceiptFile(ctx, f); err != nil {
			return err
		}
		for i := range 7 {
			rc, l := r.newReceipt(c.ID, f, at.Add(time.Duration(i)*time.Second), i%2 == 0)
			if err := tx.InsertReceipt(ctx, rc, l); err != nil {
				return err
			}
			all = append(all, rc)
			if rc.NeedsReview {
				want = append(want, rc.ID)
			}
		}
		return nil
	})
	var got []string
	after := ""
	for page := 0; page < 1000; page++ {
		var list []store.Receipt
		view(t, r.s, func(tx store.Tx) error {
			var err error
			list, err = tx.ListReceipts(ctx, store.ReceiptFilter{NeedsReview: true, After: after, Limit: 2})
			return err
		})
		for _, x := range list {
			if !x.NeedsReview {
				t.Fatalf("%s in the queue needs no review", x.ID)
			}
			if !x.CreatedAt.Before(at) {
				got = append(got, x.ID)
			}
		}
		if len(list) < 2 {
			break
		}
		after = list[len(list)-1].ID
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("queue %v, want %v", got, want)
	}
	// Reviewed, a receipt leaves the queue.
	x := all[0]
	x.LineNo, x.Status, x.NeedsReview, x.UpdatedAt = 2, "approved", false, at
	update(t, r.s, func(tx store.Tx) error {
		return tx.AppendReceiptLine(ctx, x, store.ReceiptLine{ReceiptID: x.ID, No: 2, Action: "approve", Status: "approved",
			Amount: x.Amount, Line: json.RawMessage(`{}`), At: at, Actor: actor})
	})
	view(t, r.s, func(tx store.Tx) error {
		list, err := tx.ListReceipts(ctx, store.ReceiptFilter{NeedsReview: true, After: all[len(all)-1].ID})
		if err != nil {
			return err
		}
		if len(list) != 0 {
			t.Fatalf("receipts after the last: %d", len(list))
		}
		list, err = tx.ListReceipts(ctx, store.ReceiptFilter{NeedsReview: true, Limit: 1000})
		if err != nil {
			return err
		}
		for _, y := range list {
			if y.ID == x.ID {
				t.Fatal("a reviewed receipt is still in the queue")
			}
		}
		everything, err := tx.ListReceipts(ctx, store.ReceiptFilter{Limit: 1000})
		if err != nil {
			return err
		}
		n := 0
		for _, y := range everything {
			if y.CaseID == c.ID {
				n++
			}
		}
		if n != len(all) {
			t.Fatalf("all receipts: %d of the case, want %d", n, len(all))
		}
		_, err = tx.ListReceipts(ctx, store.ReceiptFilter{After: "nothing"})
		wantErr(t, "page after an unknown receipt", err, store.ErrNotFound)
		return nil
	})
}

// concurrentReceipts: writers that lock a case's receipts, count them and
// add one each see each other's receipts, one after the other: no two
// count the same number.
func (r *runner) concurrentReceipts(t *testing.T) {
	ctx := ctxT(t)
	c := r.insertCase(t, base)
	f := receiptFile([]byte("\xff\xd8\xff "+r.id("c")), "image/jpeg")
	update(t, r.s, func(tx store.Tx) error { _, err := tx.PutReceiptFile(ctx, f); return err })
	const n = 8
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs <- r.s.Update(ctx, func(tx store.Tx) error {
				if err := tx.LockCaseReceipts(ctx, c.ID); err != nil {
					return err
				}
				list, err := tx.CaseReceipts(ctx, c.ID)
				if err != nil {
					return err
				}
				rc, l := r.newReceipt(c.ID, f, base, false)
				rc.Merchant = fmt.Sprint(len(list))
				return tx.InsertReceipt(ctx, rc, l)
			})
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	view(t, r.s, func(tx store.Tx) error {
		list, err := tx.CaseReceipts(ctx, c.ID)
		if err != nil {
			return err
		}
		seen := map[string]bool{}
		for _, x := range list {
			if seen[x.Merchant] {
				t.Fatalf("two writers counted %s receipts before theirs", x.Merchant)
			}
			seen[x.Merchant] = true
		}
		if len(list) != n {
			t.Fatalf("%d receipts, want %d", len(list), n)
		}
		return nil
	})
}

// ReceiptsImmutable checks that the schema itself refuses to edit or
// delete receipt files and line versions: exec runs one SQL statement
// outside the store's API (ExecRaw).
func ReceiptsImmutable(t *testing.T, s store.Store, exec func(ctx context.Context, stmt string) error) {
	ctx := ctxT(t)
	r := &runner{s: s, prefix: fmt.Sprintf("imm%d", time.Now().UnixNano())}
	c := r.insertCase(t, base)
	f := receiptFile([]byte("\xff\xd8\xff "+r.id("imm")), "image/jpeg")
	rc, l := r.newReceipt(c.ID, f, base, false)
	update(t, s, func(tx store.Tx) error {
		if _, err := tx.PutReceiptFile(ctx, f); err != nil {
			return err
		}
		return tx.InsertReceipt(ctx, rc, l)
	})
	for _, stmt := range []string{
		"UPDATE receipt_files SET media_type = 'text/html' WHERE sha256 = '" + f.SHA256 + "'",
		"DELETE FROM receipt_files WHERE sha256 = '" + f.SHA256 + "'",
		"UPDATE receipt_lines SET status = 'approved' WHERE receipt_id = '" + rc.ID + "'",
		"DELETE FROM receipt_lines WHERE receipt_id = '" + rc.ID + "'",
	} {
		if err := exec(ctx, stmt); err == nil {
			t.Errorf("%s: accepted", stmt)
		}
	}
	view(t, s, func(tx store.Tx) error {
		got, err := tx.GetReceipt(ctx, rc.ID)
		if err != nil {
			return err
		}
		sameLine(t, got.Line, l)
		if got.FileType != f.MediaType {
			t.Errorf("file changed: %s", got.FileType)
		}
		return nil
	})
}
