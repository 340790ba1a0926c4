package activtrak

import (
	"encoding/json"
	"testing"
	"time"
)

func TestParseTimestamp(t *testing.T) {
	t.Parallel()
	plus2 := time.FixedZone("", 2*3600)
	for _, tc := range []struct {
		in   string
		want time.Time
		ok   bool
	}{
		{"2024-06-03T08:44:51.994", time.Date(2024, 6, 3, 8, 44, 51, 994e6, time.UTC), true},
		{"2024-06-03T08:44:51", time.Date(2024, 6, 3, 8, 44, 51, 0, time.UTC), true},
		{"2024-06-03T08:44:51Z", time.Date(2024, 6, 3, 8, 44, 51, 0, time.UTC), true},
		{"2024-06-03t08:44:51z", time.Date(2024, 6, 3, 8, 44, 51, 0, time.UTC), true},
		{"2024-06-03T08:44:51.1234567+02:00", time.Date(2024, 6, 3, 8, 44, 51, 123456700, plus2), true},
		{"2024-06-03T08:44:51+0200", time.Date(2024, 6, 3, 8, 44, 51, 0, plus2), true},
		{"2024-06-03T08:44:51.5+02", time.Date(2024, 6, 3, 8, 44, 51, 5e8, plus2), true},
		{"2024-06-03 08:44:51+02:00", time.Date(2024, 6, 3, 8, 44, 51, 0, plus2), true},
		{"2024-06-03 08:44:51.25", time.Date(2024, 6, 3, 8, 44, 51, 25e7, time.UTC), true},
		{"2024-06-03T08:44Z", time.Date(2024, 6, 3, 8, 44, 0, 0, time.UTC), true},
		{"2024-06-03T08:44", time.Date(2024, 6, 3, 8, 44, 0, 0, time.UTC), true},
		{" 2024-06-03 ", time.Date(2024, 6, 3, 0, 0, 0, 0, time.UTC), true},
		{"", time.Time{}, true},
		{"yesterday", time.Time{}, false},
		{"2024-13-03T08:44:51", time.Time{}, false},
	} {
		got, ok := parseTimestamp(tc.in)
		if ok != tc.ok || !got.Equal(tc.want) {
			t.Errorf("parseTimestamp(%q) = %v, %v; want %v, %v", tc.in, got, ok, tc.want, tc.ok)
		}
	}
}

func TestLenientTimeNeverFails(t *testing.T) {
	t.Parallel()
	for _, in := range []string{`null`, `123`, `"odd"`, `{}`, `[]`, `true`} {
		l := lenientTime{t: time.Now()}
		if err := json.Unmarshal([]byte(in), &l); err != nil || !l.t.IsZero() {
			t.Errorf("%s: got %v, %v; want zero time, nil", in, l.t, err)
		}
	}
	var w WorkingHours
	body := `{"date":"bad","firstActivity":"2024-06-03T08:00:00","lastActivity":null,"lastActivityLog":7,"userid":3,"totalTime":1.5}`
	if err := json.Unmarshal([]byte(body), &w); err != nil {
		t.Fatal(err)
	}
	if !w.Date.IsZero() || !w.LastActivity.IsZero() || !w.LastActivityLog.IsZero() || w.UserID != 3 || w.TotalTime != 1.5 ||
		!w.FirstActivity.Equal(time.Date(2024, 6, 3, 8, 0, 0, 0, time.UTC)) {
		t.Errorf("decoded %+v", w)
	}
	// A field of the wrong type is still an error (only timestamps are lenient).
	if err := json.Unmarshal([]byte(`{"userid":"x"}`), &w); err == nil {
		t.Error("want an error for a string user id")
	}
	var e ActivityLogEntry
	if err := json.Unmarshal([]byte(`{"logId":7,"date":"2024-06-03T08:44:51.994","user":"u","websiteId":null}`), &e); err != nil {
		t.Fatal(err)
	}
	if e.LogID != 7 || e.User != "u" || e.WebsiteID != nil || !e.Date.Equal(time.Date(2024, 6, 3, 8, 44, 51, 994e6, time.UTC)) {
		t.Errorf("decoded %+v", e)
	}
	if err := json.Unmarshal([]byte(`{"logId":"x"}`), &e); err == nil {
		t.Error("want an error for a string log id")
	}
}
