package storetest

import (
	"context"
	"encoding/json"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"roadcover/store"
)

// BenchCreate measures durable case creation: one Update holding InsertCase
// and AppendEvent, as POST /v1/cases does. "sequential" is one writer;
// "parallel" is 8×GOMAXPROCS writers (b.RunParallel). Each reports cases/s.
func BenchCreate(b *testing.B, s store.Store) {
	var n atomic.Int64
	prefix := fmt.Sprintf("bench-%d", time.Now().UnixNano())
	facts := json.RawMessage(`{"market":"SE","event":{"kind":"breakdown","at":"2026-11-21T09:30:00Z"},"position":{"lat":57.7,"lon":11.97}}`)
	create := func(ctx context.Context) error {
		id := fmt.Sprintf("%s-%d", prefix, n.Add(1))
		now := time.Now().UTC()
		c := NewCase(id, now)
		c.Facts = facts
		return s.Update(ctx, func(tx store.Tx) error {
			if err := tx.InsertCase(ctx, c); err != nil {
				return err
			}
			_, err := tx.AppendEvent(ctx, store.Event{CaseID: id, At: now, Actor: actor, Kind: "created", Data: facts})
			return err
		})
	}
	b.Run("sequential", func(b *testing.B) {
		ctx := context.Background()
		for b.Loop() {
			if err := create(ctx); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "cases/s")
	})
	b.Run("parallel", func(b *testing.B) {
		ctx := context.Background()
		b.SetParallelism(8)
		start := time.Now()
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				if err := create(ctx); err != nil {
					b.Error(err)
					return
				}
			}
		})
		b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "cases/s")
	})
}
