package httpapi

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strconv"
	"time"

	"roadcover/store"
)

// Webhooks to partners.
//
// A job's creation and every change of it queue one delivery in the same
// transaction as the change (an outbox), so a committed change is always
// announced, at least once. The dispatcher posts due deliveries to the
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
// WebhookMaxAttempts attempts. GET /v1/jobs/{id}/deliveries is the log.

// SignatureHeader names the signature header.
const SignatureHeader = "Roadcover-Signature"

// WebhookMaxAttempts is how often a delivery is tried before it is failed.
const WebhookMaxAttempts = 12

// Sign returns the Roadcover-Signature value for body at time t.
func Sign(secret, body []byte, t time.Time) string {
	ts := strconv.FormatInt(t.Unix(), 10)
	mac := hmac.New(sha256.New, secret)
	mac.Write([]byte(ts))
	mac.Write([]byte{'.'})
	mac.Write(body)
	return "t=" + ts + ",v1=" + hex.EncodeToString(mac.Sum(nil))
}

// Dispatcher sends due webhook deliveries from the store's queue.
type Dispatcher struct {
	st      store.Store
	client  *http.Client
	log     *slog.Logger
	now     func() time.Time
	m       *metrics
	kick    chan struct{}
	Every   time.Duration // poll interval; a queued delivery also wakes it
	BaseGap time.Duration // first retry gap, doubled each attempt
	MaxGap  time.Duration
}

func newDispatcher(st store.Store, client *http.Client, log *slog.Logger, now func() time.Time, m *metrics) *Dispatcher {
	if client == nil {
		client = &http.Client{Timeout: 10 * time.Second}
	}
	return &Dispatcher{st: st, client: client, log: log, now: now, m: m, kick: make(chan struct{}, 1),
		Every: time.Second, BaseGap: 5 * time.Second, MaxGap: time.Hour}
}

// Kick wakes the dispatcher (a delivery was queued).
func (d *Dispatcher) Kick() {
	select {
	case d.kick <- struct{}{}:
	default:
	}
}

// Run delivers until ctx ends.
func (d *Dispatcher) Run(ctx context.Context) {
	t := time.NewTicker(d.Every)
	defer t.Stop()
	for {
		if err := d.RunOnce(ctx); err != nil && ctx.Err() == nil {
			d.log.Warn("webhooks: dispatch", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		case <-d.kick:
		}
	}
}

// RunOnce sends every delivery that is due now.
func (d *Dispatcher) RunOnce(ctx context.Context) error {
	for {
		var due []store.Delivery
		err := d.st.View(ctx, func(tx store.Tx) error {
			var err error
			due, err = tx.DueDeliveries(ctx, d.now().UTC(), 50)
			return err
		})
		if err != nil || len(due) == 0 {
			return err
		}
		for _, dl := range due {
			if err := d.deliver(ctx, dl); err != nil {
				return err
			}
		}
		if len(due) < 50 {
			return nil
		}
	}
}

func (d *Dispatcher) deliver(ctx context.Context, dl store.Delivery) error {
	var pt store.Partner
	err := d.st.View(ctx, func(tx store.Tx) error {
		var err error
		pt, err = tx.GetPartner(ctx, dl.Partner)
		return err
	})
	if err != nil {
		return fmt.Errorf("httpapi: webhook partner %s: %w", dl.Partner, err)
	}
	sendErr := d.post(ctx, pt, dl)
	if ctx.Err() != nil {
		return ctx.Err()
	}
	now := d.now().UTC()
	dl.Attempts++
	dl.UpdatedAt = now
	result := "delivered"
	switch {
	case sendErr == nil:
		dl.Status, dl.LastError = "delivered", ""
	case dl.Attempts >= WebhookMaxAttempts:
		dl.Status, dl.LastError, result = "failed", sendErr.Error(), "failed"
	default:
		gap := d.BaseGap << (dl.Attempts - 1)
		if gap > d.MaxGap || gap <= 0 {
			gap = d.MaxGap
		}
		dl.Status, dl.LastError, dl.NextAt, result = "pending", sendErr.Error(), now.Add(gap), "retry"
	}
	d.m.deliveries.WithLabelValues(result).Inc()
	if sendErr != nil {
		d.log.Warn("webhook delivery", "delivery", dl.ID, "partner", dl.Partner, "job", dl.JobID,
			"attempt", dl.Attempts, "status", dl.Status, "err", sendErr)
	} else {
		d.log.Info("webhook delivery", "delivery", dl.ID, "partner", dl.Partner, "job", dl.JobID, "attempt", dl.Attempts, "status", dl.Status)
	}
	return d.st.Update(ctx, func(tx store.Tx) error { return tx.UpdateDelivery(ctx, dl) })
}

func (d *Dispatcher) post(ctx context.Context, pt store.Partner, dl store.Delivery) error {
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
	req.Header.Set(SignatureHeader, Sign(pt.Secret, dl.Payload, d.now()))
	resp, err := d.client.Do(req)
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
