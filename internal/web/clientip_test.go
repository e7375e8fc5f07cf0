package web

import (
	"net"
	"net/http/httptest"
	"testing"
)

func TestClientIP(t *testing.T) {
	_, lb, _ := net.ParseCIDR("10.0.0.0/8")
	_, v6, _ := net.ParseCIDR("fd00::/8")
	s := &Server{TrustedProxies: []*net.IPNet{lb, v6}}
	cases := []struct {
		name, peer, xff, want string
	}{
		{"NoHeader", "203.0.113.5:4000", "", "203.0.113.5"},
		{"UntrustedPeerIgnored", "203.0.113.5:4000", "198.51.100.7", "203.0.113.5"},
		{"TrustedPeer", "10.1.2.3:4000", "198.51.100.7", "198.51.100.7"},
		{"SpoofedLeftmostIgnored", "10.1.2.3:4000", "1.1.1.1, 198.51.100.7", "198.51.100.7"},
		{"ChainOfProxies", "10.1.2.3:4000", "198.51.100.7, 10.9.9.9", "198.51.100.7"},
		{"AllTrusted", "10.1.2.3:4000", "10.4.4.4", "10.4.4.4"},
		{"GarbageStops", "10.1.2.3:4000", "nonsense", "10.1.2.3"},
		{"IPv6Proxy", "[fd00::1]:4000", "2001:db8::9", "2001:db8::9"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := httptest.NewRequest("GET", "/", nil)
			r.RemoteAddr = tc.peer
			if tc.xff != "" {
				r.Header.Set("X-Forwarded-For", tc.xff)
			}
			if got := s.clientIP(r); got != tc.want {
				t.Errorf("clientIP = %q, want %q", got, tc.want)
			}
		})
	}
	// Without trusted proxies the header is never believed.
	r := httptest.NewRequest("GET", "/", nil)
	r.RemoteAddr = "10.1.2.3:4000"
	r.Header.Set("X-Forwarded-For", "198.51.100.7")
	if got := (&Server{}).clientIP(r); got != "10.1.2.3" {
		t.Errorf("no trusted proxies: clientIP = %q", got)
	}
}
