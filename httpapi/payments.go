package httpapi

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"roadcover"
	"roadcover/ledger"
	"roadcover/payee"
	"roadcover/payments"
	"roadcover/store"
)

// Money out (package payments): payment batches and the payables they pay.
//
// Who may do what:
//
//	payments, admin   make batches, approve, release and cancel them, download
//	                  their bank files, import the bank's status reports, read
//	                  every payable
//	operator          read the payables of assistance receipts
//	claims_handler    read the payables of insurance claims
//
// The maker and the approvers of a batch are told apart by their token:
// the maker may not approve, and nobody approves twice (409).

// SamplePayments is the configuration a fresh desk runs with: SAMPLE
// debtor accounts (payments.Sample); `serve` replaces it from its flags.
func SamplePayments() payments.Config { return payments.Sample() }

func (s *Server) paymentRoutes() {
	s.handle("POST /v1/payment-batches", s.createBatch, RoleAdmin, RolePayments)
	s.handle("GET /v1/payment-batches", s.listBatches, RoleAdmin, RolePayments)
	s.handle("GET /v1/payment-batches/{id}", s.getBatch, RoleAdmin, RolePayments)
	s.handle("POST /v1/payment-batches/{id}/approve", s.batchStep(s.approveBatch), RoleAdmin, RolePayments)
	s.handle("POST /v1/payment-batches/{id}/release", s.batchStep(s.releaseBatch), RoleAdmin, RolePayments)
	s.handle("POST /v1/payment-batches/{id}/cancel", s.batchStep(s.cancelBatch), RoleAdmin, RolePayments)
	s.handle("GET /v1/payment-batches/{id}/pain.001", s.batchFile, RoleAdmin, RolePayments)
	s.handle("POST /v1/payment-batches/{id}/status-report", s.importReport, RoleAdmin, RolePayments)
	s.handle("GET /v1/payables", s.listPayables, RoleAdmin, RolePayments, RoleOperator, RoleClaims)
}

// Payments is the service behind the payment routes (for other parts of
// the product that record payables in their own transactions).
func (s *Server) Payments() *payments.Service { return s.pay }

func batchPath(id ledger.BatchID) string { return "/v1/payment-batches/" + string(id) }

func filePath(id ledger.BatchID) string { return batchPath(id) + "/pain.001" }

// batchReply is a batch as an answer, with its file's description when it
// has one.
func batchReply(status int, b ledger.Batch, f *store.PaymentFile, leftOut []payments.LeftOut) (reply, error) {
	v := payments.ViewBatch(b, f, filePath(b.ID))
	v.LeftOut = leftOut
	rp, err := jsonReply(status, v)
	if err != nil {
		return rp, err
	}
	if status == http.StatusCreated {
		rp.header = map[string]string{"Location": batchPath(b.ID)}
	}
	return rp, nil
}

// createBatch is POST /v1/payment-batches: {"currency", "payables"}.
func (s *Server) createBatch(w http.ResponseWriter, r *http.Request, p principal) {
	body, err := readBody(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	req, err := payments.ReadBatchRequest(body)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.commit(w, r, p, body, func(ctx context.Context, tx store.Tx) (reply, error) {
		c, err := s.pay.CreateBatch(ctx, tx, p.actor(), req)
		if err != nil {
			return reply{}, err
		}
		return batchReply(http.StatusCreated, c.Batch, nil, c.LeftOut)
	})
}

// listBatches is GET /v1/payment-batches[?status=draft|released|cancelled],
// newest first.
func (s *Server) listBatches(w http.ResponseWriter, r *http.Request, p principal) {
	status := ledger.BatchStatus(r.URL.Query().Get("status"))
	if status != "" && !slices.Contains(payments.BatchStatuses, status) {
		s.fail(w, r, invalid("status", "must be one of draft, released, cancelled"))
		return
	}
	var bs []ledger.Batch
	err := s.st.View(r.Context(), func(tx store.Tx) error {
		var err error
		bs, err = s.pay.Batches(r.Context(), tx, status)
		return err
	})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	out := make([]payments.BatchView, 0, len(bs))
	for _, b := range bs {
		out = append(out, payments.ViewBatch(b, nil, ""))
	}
	writeJSON(w, http.StatusOK, map[string]any{"batches": out})
}

// getBatch is GET /v1/payment-batches/{id}.
func (s *Server) getBatch(w http.ResponseWriter, r *http.Request, p principal) {
	id := ledger.BatchID(r.PathValue("id"))
	var b ledger.Batch
	var f *store.PaymentFile
	err := s.st.View(r.Context(), func(tx store.Tx) error {
		var err error
		if b, err = s.pay.Batch(r.Context(), tx, id); err != nil {
			return err
		}
		if b.Status == ledger.BatchReleased {
			file, err := s.pay.PaymentFile(r.Context(), tx, id)
			if err != nil {
				return err
			}
			f = &file
		}
		return nil
	})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	rp, err := batchReply(http.StatusOK, b, f, nil)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	rp.write(w)
}

// batchStep runs a step on one batch (approve, release, cancel) in an
// idempotent POST.
func (s *Server) batchStep(step func(ctx context.Context, tx store.Tx, p principal, id ledger.BatchID, body []byte) (reply, error)) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request, p principal) {
		id := ledger.BatchID(r.PathValue("id"))
		body, err := readBody(r)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		s.commit(w, r, p, body, func(ctx context.Context, tx store.Tx) (reply, error) {
			return step(ctx, tx, p, id, body)
		})
	}
}

// approveBatch is POST /v1/payment-batches/{id}/approve (no body).
func (s *Server) approveBatch(ctx context.Context, tx store.Tx, p principal, id ledger.BatchID, body []byte) (reply, error) {
	if err := payments.ReadEmpty(body); err != nil {
		return reply{}, err
	}
	b, err := s.pay.Approve(ctx, tx, p.actor(), id)
	if err != nil {
		return reply{}, err
	}
	return batchReply(http.StatusOK, b, nil, nil)
}

// releaseBatch is POST /v1/payment-batches/{id}/release:
// {"execution_date"} or no body.
func (s *Server) releaseBatch(ctx context.Context, tx store.Tx, p principal, id ledger.BatchID, body []byte) (reply, error) {
	day, err := payments.ReadRelease(body)
	if err != nil {
		return reply{}, err
	}
	rel, err := s.pay.Release(ctx, tx, p.actor(), id, day)
	if err != nil {
		return reply{}, err
	}
	return batchReply(http.StatusOK, rel.Batch, &rel.File, nil)
}

// cancelBatch is POST /v1/payment-batches/{id}/cancel (no body).
func (s *Server) cancelBatch(ctx context.Context, tx store.Tx, p principal, id ledger.BatchID, body []byte) (reply, error) {
	if err := payments.ReadEmpty(body); err != nil {
		return reply{}, err
	}
	b, err := s.pay.Cancel(ctx, tx, p.actor(), id)
	if err != nil {
		return reply{}, err
	}
	return batchReply(http.StatusOK, b, nil, nil)
}

// batchFile is GET /v1/payment-batches/{id}/pain.001: the bank file kept at
// release, byte for byte.
func (s *Server) batchFile(w http.ResponseWriter, r *http.Request, p principal) {
	id := ledger.BatchID(r.PathValue("id"))
	var f store.PaymentFile
	err := s.st.View(r.Context(), func(tx store.Tx) error {
		var err error
		f, err = s.pay.PaymentFile(r.Context(), tx, id)
		return err
	})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "application/xml; charset=utf-8")
	h.Set("Content-Disposition", fmt.Sprintf(`attachment; filename="%s.pain.001.xml"`, safeFileName(string(id))))
	h.Set("Content-Length", strconv.Itoa(len(f.Data)))
	h.Set("ETag", fmt.Sprintf(`"%x"`, f.SHA256))
	h.Set("Cache-Control", "private, no-store")
	w.WriteHeader(http.StatusOK)
	w.Write(f.Data)
}

// safeFileName keeps the characters a batch id may have (payee.ValidID).
func safeFileName(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '.' {
			return r
		}
		return '_'
	}, s)
}

// importReport is POST /v1/payment-batches/{id}/status-report: a pain.002
// document as the body.
func (s *Server) importReport(w http.ResponseWriter, r *http.Request, p principal) {
	id := ledger.BatchID(r.PathValue("id"))
	body, err := readBody(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.commit(w, r, p, body, func(ctx context.Context, tx store.Tx) (reply, error) {
		rep, err := s.pay.ImportStatusReport(ctx, tx, p.actor(), id, body)
		if err != nil {
			return reply{}, err
		}
		return jsonReply(http.StatusOK, payments.ViewReport(rep))
	})
}

// areaOf is the source kind a role may read payables of; "" for all.
func areaOf(role string) ledger.SourceKind {
	switch role {
	case RoleOperator:
		return ledger.SourceAssistanceReceipt
	case RoleClaims:
		return ledger.SourceInsuranceClaim
	}
	return ""
}

// listPayables is GET /v1/payables[?source=KIND[:ID]][&status=]: an
// operator sees the payables of assistance receipts, a claims handler those
// of insurance claims.
func (s *Server) listPayables(w http.ResponseWriter, r *http.Request, p principal) {
	q := r.URL.Query()
	var f payments.PayableFilter
	ie := &roadcover.InputError{}
	if src := q.Get("source"); src != "" {
		kind, id, _ := strings.Cut(src, ":")
		f.SourceKind, f.SourceID = ledger.SourceKind(kind), id
		if f.SourceKind != ledger.SourceAssistanceReceipt && f.SourceKind != ledger.SourceInsuranceClaim {
			ie.Add("source", roadcover.CodeInvalidInput, "must be assistance_receipt or insurance_claim, optionally followed by ':' and the case or claim id")
		}
	}
	if st := ledger.Status(q.Get("status")); st != "" {
		if !slices.Contains(payments.Statuses, st) {
			ie.Add("status", roadcover.CodeInvalidInput, "must be one of open, in_batch, sent, paid, withdrawn")
		}
		f.Status = st
	}
	if err := ie.Err(); err != nil {
		s.fail(w, r, err)
		return
	}
	if area := areaOf(p.tok.Role); area != "" {
		if f.SourceKind != "" && f.SourceKind != area {
			s.fail(w, r, forbidden("the role "+p.tok.Role+" may read the payables of "+string(area)+" only"))
			return
		}
		f.SourceKind = area
	}
	var ps []ledger.PayableState
	var to map[ledger.PayeeID]payee.Payee
	err := s.st.View(r.Context(), func(tx store.Tx) error {
		var err error
		if ps, err = s.pay.Payables(r.Context(), tx, f); err != nil {
			return err
		}
		to, err = s.pay.Payees(r.Context(), tx, ps)
		return err
	})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	out := make([]payments.PayableView, 0, len(ps))
	for _, x := range ps {
		out = append(out, payments.ViewPayableTo(x, to[x.Payee]))
	}
	writeJSON(w, http.StatusOK, map[string]any{"payables": out})
}
