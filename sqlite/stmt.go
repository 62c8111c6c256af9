package sqlite

import (
	"context"
	"database/sql"
	"sync"
)

// maxCachedStmts bounds the statement cache of each pool; statements past
// it run unprepared (the store's own SQL is far fewer).
const maxCachedStmts = 256

// stmtCache keeps one prepared statement per SQL text of a pool, so that a
// statement is compiled once per connection instead of on every call
// (sqlite3_prepare was about a sixth of the writer's time).
//
// A statement seen for the first time runs unprepared while a goroutine
// prepares it on the pool: preparing inside the transaction that met it
// would need a second connection, which the single writer does not have.
// Transactions then bind the pool's statement to their connection
// (sql.Tx.StmtContext), which reuses what that connection already compiled.
type stmtCache struct {
	db      *sql.DB
	mu      sync.RWMutex
	m       map[string]*sql.Stmt // nil value: preparing failed, run unprepared
	pending map[string]bool
	closed  bool
	wg      sync.WaitGroup
}

func newStmtCache(db *sql.DB) *stmtCache {
	return &stmtCache{db: db, m: map[string]*sql.Stmt{}, pending: map[string]bool{}}
}

// lookup returns the prepared statement for q, or nil (then it starts
// preparing q for next time).
func (c *stmtCache) lookup(q string) *sql.Stmt {
	c.mu.RLock()
	st, ok := c.m[q]
	c.mu.RUnlock()
	if ok {
		return st
	}
	c.mu.Lock()
	if _, ok := c.m[q]; !ok && !c.closed && !c.pending[q] && len(c.m)+len(c.pending) < maxCachedStmts {
		c.pending[q] = true
		c.wg.Add(1)
		go c.prepare(q)
	}
	c.mu.Unlock()
	return nil
}

func (c *stmtCache) prepare(q string) {
	defer c.wg.Done()
	st, err := c.db.PrepareContext(context.Background(), q)
	c.mu.Lock()
	defer c.mu.Unlock()
	delete(c.pending, q)
	if c.closed {
		if st != nil {
			st.Close()
		}
		return
	}
	if err != nil {
		st = nil
	}
	c.m[q] = st
}

// close waits for statements being prepared and closes all of them.
func (c *stmtCache) close() {
	c.mu.Lock()
	c.closed = true
	c.mu.Unlock()
	c.wg.Wait()
	c.mu.Lock()
	defer c.mu.Unlock()
	for q, st := range c.m {
		if st != nil {
			st.Close()
		}
		delete(c.m, q)
	}
}

// cachedTx runs a transaction's statements through the cache. With
// detach, statements ignore the caller's cancellation: the driver
// interrupts a cancelled statement, and SQLite then rolls back the whole
// transaction, which in a group commit holds other callers' writes too.
type cachedTx struct {
	tx     *sql.Tx
	c      *stmtCache
	detach bool
	local  map[string]*sql.Stmt // bound to tx, closed with it
}

func (t *cachedTx) ctx(ctx context.Context) context.Context {
	if t.detach {
		return context.WithoutCancel(ctx)
	}
	return ctx
}

func (t *cachedTx) stmt(ctx context.Context, q string) *sql.Stmt {
	if st, ok := t.local[q]; ok {
		return st
	}
	p := t.c.lookup(q)
	if p == nil {
		return nil
	}
	st := t.tx.StmtContext(ctx, p)
	if t.local == nil {
		t.local = make(map[string]*sql.Stmt, 8)
	}
	t.local[q] = st
	return st
}

func (t *cachedTx) ExecContext(ctx context.Context, q string, args ...any) (sql.Result, error) {
	ctx = t.ctx(ctx)
	if st := t.stmt(ctx, q); st != nil {
		return st.ExecContext(ctx, args...)
	}
	return t.tx.ExecContext(ctx, q, args...)
}

func (t *cachedTx) QueryContext(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	ctx = t.ctx(ctx)
	if st := t.stmt(ctx, q); st != nil {
		return st.QueryContext(ctx, args...)
	}
	return t.tx.QueryContext(ctx, q, args...)
}

func (t *cachedTx) QueryRowContext(ctx context.Context, q string, args ...any) *sql.Row {
	ctx = t.ctx(ctx)
	if st := t.stmt(ctx, q); st != nil {
		return st.QueryRowContext(ctx, args...)
	}
	return t.tx.QueryRowContext(ctx, q, args...)
}
