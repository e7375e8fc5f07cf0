package sqlite

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"strings"

	"modernc.org/sqlite"
)

// driverName is modernc's SQLite driver with a statement cache per
// connection: parsing and planning a statement costs more than running a
// small one, and the write connection runs the same few statements for
// every reaction and comment.
const driverName = "jikji-sqlite"

func init() {
	sql.Register(driverName, cachingDriver{&sqlite.Driver{}})
}

// maxConnStatements bounds each connection's cache.
const maxConnStatements = 256

type cachingDriver struct{ driver.Driver }

func (d cachingDriver) Open(name string) (driver.Conn, error) {
	c, err := d.Driver.Open(name)
	if err != nil {
		return nil, err
	}
	return &cachingConn{Conn: c, stmts: map[string]driver.Stmt{}}, nil
}

// cachingConn keeps each single statement it prepares. database/sql uses a
// connection from one goroutine at a time, so the map needs no lock.
type cachingConn struct {
	driver.Conn
	stmts map[string]driver.Stmt
}

// single reports whether query is one statement, the only kind a prepared
// statement runs whole (migrations hold several).
func single(query string) bool {
	return !strings.Contains(strings.TrimRight(query, "; \n\t"), ";")
}

func (c *cachingConn) cached(ctx context.Context, query string) (driver.Stmt, error) {
	if st, ok := c.stmts[query]; ok {
		return st, nil
	}
	st, err := c.Conn.(driver.ConnPrepareContext).PrepareContext(ctx, query)
	if err != nil {
		return nil, err
	}
	if len(c.stmts) >= maxConnStatements {
		for q, old := range c.stmts {
			old.Close()
			delete(c.stmts, q)
			break
		}
	}
	c.stmts[query] = st
	return st, nil
}

func (c *cachingConn) PrepareContext(ctx context.Context, query string) (driver.Stmt, error) {
	if !single(query) {
		return c.Conn.(driver.ConnPrepareContext).PrepareContext(ctx, query)
	}
	st, err := c.cached(ctx, query)
	if err != nil {
		return nil, err
	}
	return keptStmt{st}, nil
}

func (c *cachingConn) Prepare(query string) (driver.Stmt, error) {
	return c.PrepareContext(context.Background(), query)
}

func (c *cachingConn) ExecContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Result, error) {
	if !single(query) {
		return c.Conn.(driver.ExecerContext).ExecContext(ctx, query, args)
	}
	st, err := c.cached(ctx, query)
	if err != nil {
		return nil, err
	}
	return st.(driver.StmtExecContext).ExecContext(ctx, args)
}

func (c *cachingConn) QueryContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Rows, error) {
	if !single(query) {
		return c.Conn.(driver.QueryerContext).QueryContext(ctx, query, args)
	}
	st, err := c.cached(ctx, query)
	if err != nil {
		return nil, err
	}
	return st.(driver.StmtQueryContext).QueryContext(ctx, args)
}

func (c *cachingConn) BeginTx(ctx context.Context, opts driver.TxOptions) (driver.Tx, error) {
	return c.Conn.(driver.ConnBeginTx).BeginTx(ctx, opts)
}

func (c *cachingConn) Ping(ctx context.Context) error {
	if p, ok := c.Conn.(driver.Pinger); ok {
		return p.Ping(ctx)
	}
	return nil
}

func (c *cachingConn) ResetSession(ctx context.Context) error {
	if r, ok := c.Conn.(driver.SessionResetter); ok {
		return r.ResetSession(ctx)
	}
	return nil
}

func (c *cachingConn) CheckNamedValue(nv *driver.NamedValue) error {
	if ch, ok := c.Conn.(driver.NamedValueChecker); ok {
		return ch.CheckNamedValue(nv)
	}
	return driver.ErrSkip
}

func (c *cachingConn) Close() error {
	for _, st := range c.stmts {
		st.Close()
	}
	c.stmts = nil
	return c.Conn.Close()
}

// keptStmt is a cached statement handed to database/sql, whose Close must
// not close it.
type keptStmt struct{ driver.Stmt }

func (keptStmt) Close() error { return nil }

func (s keptStmt) ExecContext(ctx context.Context, args []driver.NamedValue) (driver.Result, error) {
	return s.Stmt.(driver.StmtExecContext).ExecContext(ctx, args)
}

func (s keptStmt) QueryContext(ctx context.Context, args []driver.NamedValue) (driver.Rows, error) {
	return s.Stmt.(driver.StmtQueryContext).QueryContext(ctx, args)
}
