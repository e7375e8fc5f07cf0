//go:build load

package main

import "testing"

// TestLoadHostileRequests is the whole hostile battery, anonymous and as an
// admin: load-sized, as the race detector would make it take minutes.
func TestLoadHostileRequests(t *testing.T) { hostileBattery(t, true) }
