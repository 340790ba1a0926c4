package close_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/activitysdk/activity-go/internal/contract"
)

// TestContractDocument checks the Close description itself: it takes the
// wire this package sends and refuses what Close does not.
func TestContractDocument(t *testing.T) {
	t.Parallel()
	doc := contract.Load(t, closeContract)
	const body = `{"type":"overview","metrics":["calls.outbound.all.count"],"relative_range":"today"}`
	cases := []struct {
		name, tz, body string
		ok             bool
		want           string
	}{
		{"no offset", "", body, true, ""},
		{"-5", "-5", body, true, ""},
		{"5.5", "5.5", body, true, ""},
		{"14", "14", body, true, ""},
		{"-14", "-14", body, true, ""},
		{"14.5", "14.5", body, false, "X-TZ-Offset"},
		{"15", "15", body, false, "X-TZ-Offset"},
		{"-5.0h", "-5.0h", body, false, "X-TZ-Offset"},
		{"both ranges", "", `{"type":"overview","metrics":["m.n"],"relative_range":"today","datetime_range":{"start":"2026-01-01T00:00:00Z","end":"2026-01-02T00:00:00Z"}}`, false, "oneOf"},
		{"no range", "", `{"type":"overview","metrics":["m.n"]}`, false, "relative_range"},
		{"empty metrics", "", `{"type":"overview","metrics":[],"relative_range":"today"}`, false, "minItems"},
		{"unknown member", "", `{"type":"overview","metrics":["m.n"],"relative_range":"today","tz":5}`, false, "tz"},
	}
	for _, tc := range cases {
		req, _ := http.NewRequest(http.MethodPost, "https://api.close.com/api/v1/report/activity/", strings.NewReader(tc.body))
		req.Header.Set("Content-Type", "application/json")
		req.SetBasicAuth("key", "")
		if tc.tz != "" {
			req.Header.Set("X-TZ-Offset", tc.tz)
		}
		msgs := doc.CheckRequest(req, []byte(tc.body))
		if tc.ok != (len(msgs) == 0) || !strings.Contains(strings.Join(msgs, "\n"), tc.want) {
			t.Errorf("%s: messages %q, want ok=%v mentioning %q", tc.name, msgs, tc.ok, tc.want)
		}
	}
}
