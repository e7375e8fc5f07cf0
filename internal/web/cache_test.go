package web

import "testing"

func TestAcceptEncoding(t *testing.T) {
	for header, want := range map[string]string{
		"":                           "",
		"gzip":                       "gzip",
		"gzip, deflate, br":          "br",
		"br;q=0, gzip":               "gzip",
		"gzip;q=0":                   "",
		"gzip;q=0.0, br;q=0.000":     "",
		"gzip;q=0.5":                 "gzip",
		"identity":                   "",
		"*":                          "gzip",
		" br ; q=1 , gzip ; q=0.8 ":  "br",
		"deflate, gzip;q=1.0, *;q=0": "gzip",
	} {
		if got := acceptEncoding(header); got != want {
			t.Errorf("acceptEncoding(%q) = %q, want %q", header, got, want)
		}
	}
}
