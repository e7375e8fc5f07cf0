package news

import (
	"time"
	_ "time/tzdata" // KST must be right whatever zone files the server has.
)

// KST is Asia/Seoul, the zone every time is shown in.
var KST = mustLoadLocation("Asia/Seoul")

func mustLoadLocation(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return loc
}

// FormatKST formats t the way Korean newspapers print times: 2024.03.18 04:30.
func FormatKST(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(KST).Format("2006.01.02 15:04")
}

// RFC3339KST formats t as RFC 3339 with the +09:00 offset, as the API does.
func RFC3339KST(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(KST).Format(time.RFC3339)
}
