package postgres

import (
	"context"
	"testing"
)

// TestJSONColumnsUseLZ4: on a server built with lz4 (Debian's is), the
// large JSON columns are compressed with lz4 rather than pglz.
func TestJSONColumnsUseLZ4(t *testing.T) {
	s := open(t)
	ctx := context.Background()
	var lz4 bool
	if err := s.pool.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM pg_settings
		WHERE name = 'default_toast_compression' AND 'lz4' = ANY (enumvals))`).Scan(&lz4); err != nil {
		t.Fatal(err)
	}
	if !lz4 {
		t.Skip("this PostgreSQL server is built without lz4; the migration keeps pglz")
	}
	for _, col := range [][2]string{{"facts", "doc"}, {"decisions", "doc"}, {"cases", "intake"}, {"events", "data"},
		{"payment_files", "data"}, {"payment_status_reports", "data"}} {
		var method string
		err := s.pool.QueryRow(ctx, `SELECT attcompression::text FROM pg_attribute
			WHERE attrelid = $1::regclass AND attname = $2`, col[0], col[1]).Scan(&method)
		if err != nil {
			t.Fatal(err)
		}
		if method != "l" {
			t.Errorf("%s.%s compression %q, want lz4 (l)", col[0], col[1], method)
		}
	}
}
