package main

import (
	"flag"
	"fmt"
	"io"
	"net"
	"os"

	"strings"
	"time"
)

// Config is what a subcommand is told by flags and JIKJI_* variables.
type Config struct {
	Addr        string
	Data        string
	DatabaseURL string

	// DBMaxConns and DBStatementTimeout tune the PostgreSQL pool.
	DBMaxConns         int
	DBStatementTimeout time.Duration

	BaseURL        string
	Demo           bool
	BreakingWindow time.Duration
	LogLevel       string
	PasswordCost   int
	RateLimit      bool
	NoPageCache    bool
	ReindexMissing bool
	// SearchConcurrency and SearchTimeout bound searches on a node.
	SearchConcurrency int
	SearchTimeout     time.Duration
	TrustedProxies    string
	FeedContent       string
	MaxUploadMB       int
	// LiveStreams bounds the live event streams a node holds open;
	// LiveHeartbeat is how often an idle stream sends a comment line.
	LiveStreams   int
	LiveHeartbeat time.Duration

	// Limits on readers' writes, logins and sign-ups (0: the default).
	CommentsPerMinute    int
	ReactionsPerMinute   int
	WritesPerMinutePerIP int
	LoginsPerIP          int
	SignupsPerIP         int
	// DailyCommentCap is comments per reader per article per KST day; 0 is no cap.
	DailyCommentCap int

	// SMTPURL is where mail goes (smtp:// or smtps://); empty keeps every
	// message in the outbox. MailFrom is the sender address.
	SMTPURL  string
	MailFrom string
	// MailInterval is how often the sender looks at the outbox.
	MailInterval time.Duration

	SignIn
}

// envName is the variable that sets a flag: --database-url → JIKJI_DATABASE_URL.
func envName(flagName string) string {
	return "JIKJI_" + strings.ToUpper(strings.ReplaceAll(flagName, "-", "_"))
}

// newFlagSet returns a flag set for a subcommand; parseFlags then lets each
// flag fall back to its JIKJI_* variable.
func newFlagSet(name string, out io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(out)
	return fs
}

// parseFlags sets each flag not given on the command line from its
// environment variable, then parses args. Flags win over variables.
func parseFlags(fs *flag.FlagSet, args []string) error {
	var envErr error
	fs.VisitAll(func(f *flag.Flag) {
		if v, ok := os.LookupEnv(envName(f.Name)); ok && envErr == nil {
			if err := f.Value.Set(v); err != nil {
				envErr = fmt.Errorf("%s=%q: %w", envName(f.Name), v, err)
			}
		}
	})
	if envErr != nil {
		return envErr
	}
	return fs.Parse(args)
}

// newSiteFlagSet returns the flag set of a subcommand that touches a site,
// with the flags every such subcommand takes already defined on c.
func newSiteFlagSet(name string, out io.Writer, c *Config) *flag.FlagSet {
	fs := newFlagSet(name, out)
	siteFlags(fs, c)
	return fs
}

// siteFlags defines the flags every subcommand that touches a site takes.
func siteFlags(fs *flag.FlagSet, c *Config) {
	fs.StringVar(&c.Data, "data", "./jikji-data", "data folder (SQLite database)")
	fs.StringVar(&c.DatabaseURL, "database-url", "", "empty for SQLite in the data folder, or postgres://…")
	fs.IntVar(&c.DBMaxConns, "db-max-conns", 16, "PostgreSQL: most connections this process opens")
	fs.DurationVar(&c.DBStatementTimeout, "db-statement-timeout", 30*time.Second, "PostgreSQL: longest a statement may run (0: no limit)")
	fs.StringVar(&c.LogLevel, "log-level", "info", "debug, info, warn or error")
	fs.IntVar(&c.PasswordCost, "password-cost", 11, "bcrypt cost of password hashes (4–31)")
}

// parseNets parses a comma-separated list of IP addresses and CIDR ranges.
func parseNets(list string) ([]*net.IPNet, error) {
	var out []*net.IPNet
	for _, item := range strings.Split(list, ",") {
		item = strings.TrimSpace(item)
		if item == "" {
			continue
		}
		if !strings.Contains(item, "/") {
			if ip := net.ParseIP(item); ip != nil && ip.To4() != nil {
				item += "/32"
			} else {
				item += "/128"
			}
		}
		_, n, err := net.ParseCIDR(item)
		if err != nil {
			return nil, fmt.Errorf("--trusted-proxies: %q is not an address or CIDR range", item)
		}
		out = append(out, n)
	}
	return out, nil
}
