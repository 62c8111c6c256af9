package httpapi

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strconv"
	"time"

	"github.com/riverqueue/river"

	"roadcover/desk"
	"roadcover/store"
)

// Webhooks to partners.
//
// A job's creation and every change of it record one delivery (the log)
// and enqueue a background job to send it (desk.JobWebhook, on River), in
// the same transaction as the change, so a committed change is always
// announced, at least once. The worker posts the delivery to the
// partner's webhook URL as JSON with these headers:
//
//	Content-Type: application/json
//	Roadcover-Event: job.created | job.updated
//	Roadcover-Delivery: <delivery id> (the same on every retry: deduplicate on it)
//	Roadcover-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256>
//
// v1 is HMAC-SHA256 keyed with the partner's webhook secret over the bytes
// "<t>.<body>". A receiver recomputes it, compares in constant time and
// rejects a t far from its clock. Any 2xx answer is a delivery; anything
// else, or no answer within 10 seconds, is retried with exponential backoff
// (5 s, 10 s, 20 s … at most 1 hour apart) and given up after
// WebhookMaxAttempts attempts. Each attempt is written to the delivery's
// log entry (GET /v1/jobs/{id}/deliveries). Several servers on one
// PostgreSQL database share the deliveries; each attempt is made by one.

// SignatureHeader names the signature header.
const SignatureHeader = "Roadcover-Signature"

// WebhookMaxAttempts is how often a delivery is tried before it is failed.
const WebhookMaxAttempts = desk.WebhookAttempts

// Sign returns the Roadcover-Signature value for body at time t.
func Sign(secret, body []byte, t time.Time) string {
	ts := strconv.FormatInt(t.Unix(), 10)
	mac := hmac.New(sha256.New, secret)
	mac.Write([]byte(ts))
	mac.Write([]byte{'.'})
	mac.Write(body)
	return "t=" + ts + ",v1=" + hex.EncodeToString(mac.Sum(nil))
}

// webhookWorker sends one delivery per job (River worker of
// desk.JobWebhook).
type webhookWorker struct {
	river.WorkerDefaults[desk.WebhookJob]
	st      store.Store
	client  *http.Client
	log     *slog.Logger
	now     func() time.Time
	m       *metrics
	baseGap time.Duration // first retry gap, doubled each attempt
	maxGap  time.Duration
}

func newWebhookWorker(st store.Store, client *http.Client, log *slog.Logger, now func() time.Time, m *metrics, base time.Duration) *webhookWorker {
	if client == nil {
		client = &http.Client{Timeout: 10 * time.Second}
	}
	if base <= 0 {
		base = 5 * time.Second
	}
	return &webhookWorker{st: st, client: client, log: log, now: now, m: m, baseGap: base, maxGap: time.Hour}
}

// gap is the wait after the n-th failed attempt.
func (w *webhookWorker) gap(n int) time.Duration {
	if n < 1 {
		n = 1
	}
	g := w.baseGap << (n - 1)
	if g > w.maxGap || g <= 0 || n > 40 {
		g = w.maxGap
	}
	return g
}

// NextRetry is the backoff of the contract rather than River's.
func (w *webhookWorker) NextRetry(j *river.Job[desk.WebhookJob]) time.Time {
	return time.Now().Add(w.gap(j.Attempt))
}

// Timeout leaves the HTTP client's timeout in charge, with room for the
// log's update.
func (w *webhookWorker) Timeout(*river.Job[desk.WebhookJob]) time.Duration {
	return w.client.Timeout + 30*time.Second
}

// Work makes one attempt: post the delivery, write the attempt to its log
// entry, and fail (River tries again later) when the partner did not take
// it.
func (w *webhookWorker) Work(ctx context.Context, j *river.Job[desk.WebhookJob]) error {
	var dl store.Delivery
	var pt store.Partner
	err := w.st.View(ctx, func(tx store.Tx) error {
		var err error
		if dl, err = tx.GetDelivery(ctx, j.Args.Delivery); err != nil {
			return err
		}
		pt, err = tx.GetPartner(ctx, dl.Partner)
		return err
	})
	if errors.Is(err, store.ErrNotFound) {
		return river.JobCancel(fmt.Errorf("httpapi: webhook delivery %d: %w", j.Args.Delivery, err))
	}
	if err != nil {
		return fmt.Errorf("httpapi: webhook delivery %d: %w", j.Args.Delivery, err)
	}
	if dl.Status != "pending" {
		return nil // an attempt that was cut short after it delivered
	}
	sendErr := w.post(ctx, pt, dl)
	if ctx.Err() != nil {
		return ctx.Err() // shutting down: the job runs again elsewhere or later
	}
	now := w.now().UTC()
	dl.Attempts = j.Attempt
	dl.UpdatedAt = now
	result := "delivered"
	switch {
	case sendErr == nil:
		dl.Status, dl.LastError = "delivered", ""
	case j.Attempt >= j.MaxAttempts:
		dl.Status, dl.LastError, result = "failed", sendErr.Error(), "failed"
	default:
		dl.Status, dl.LastError, dl.NextAt, result = "pending", sendErr.Error(), now.Add(w.gap(j.Attempt)), "retry"
	}
	w.m.deliveries.WithLabelValues(result).Inc()
	if sendErr != nil {
		w.log.Warn("webhook delivery", "delivery", dl.ID, "partner", dl.Partner, "job", dl.JobID,
			"attempt", dl.Attempts, "status", dl.Status, "err", sendErr)
	} else {
		w.log.Info("webhook delivery", "delivery", dl.ID, "partner", dl.Partner, "job", dl.JobID, "attempt", dl.Attempts, "status", dl.Status)
	}
	if err := w.st.Update(ctx, func(tx store.Tx) error { return tx.UpdateDelivery(ctx, dl) }); err != nil {
		return fmt.Errorf("httpapi: log webhook delivery %d: %w", dl.ID, err)
	}
	if sendErr != nil {
		return fmt.Errorf("webhook delivery %d to %s: %w", dl.ID, dl.Partner, sendErr)
	}
	return nil
}

func (w *webhookWorker) post(ctx context.Context, pt store.Partner, dl store.Delivery) error {
	if pt.WebhookURL == "" {
		return fmt.Errorf("partner %s has no webhook URL", pt.ID)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, pt.WebhookURL, bytes.NewReader(dl.Payload))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "roadcover-webhooks/1")
	req.Header.Set("Roadcover-Event", dl.Event)
	req.Header.Set("Roadcover-Delivery", strconv.FormatInt(dl.ID, 10))
	req.Header.Set(SignatureHeader, Sign(pt.Secret, dl.Payload, w.now()))
	resp, err := w.client.Do(req)
	if err != nil {
		return err
	}
	io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	resp.Body.Close()
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return fmt.Errorf("answered %s", resp.Status)
	}
	return nil
}
