//go:build load

package main

import "testing"

// TestLoadHostileRequests is the whole hostile battery, anonymous and as an
// admin: load-sized, as the race detector would make it take minutes.
func TestLoadHostileRequests(t *testing.T) {
	t.Run("SQLite", func(t *testing.T) { hostileBattery(t, true, "") })
	t.Run("PostgreSQL", func(t *testing.T) { hostileBattery(t, true, mustPostgres(t)) })
}
