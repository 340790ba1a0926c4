package sdelements_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/activitysdk/activity-go/internal/contract"
)

// TestContractDocument checks the SD Elements description itself: it takes
// the wire this package sends and refuses what the API does not document.
func TestContractDocument(t *testing.T) {
	t.Parallel()
	doc := contract.Load(t, sdeContract)
	cases := []struct {
		query string
		ok    bool
		want  string
	}{
		{"page_size=100", true, ""},
		{"page_size=10000", true, ""},
		{"page_size=0", false, "page_size"},
		{"include=a,b.c&exclude=data&expand=actor&page_size=5", true, ""},
		{"include=a,,b", false, "include"},
		{"expand=a%20b", false, "expand"},
		{"standard=T21&date_from=2026-01-02T03:04:05.123456Z&actor=7&page=2", true, ""},
		{"standard=X21", false, "standard"},
		{"actor=0", false, "actor"},
		{"cursor=abc", false, "cursor"},
	}
	for _, tc := range cases {
		req, _ := http.NewRequest(http.MethodGet, "https://sde.example.com/api/v2/activities/?"+tc.query, nil)
		req.Header.Set("Authorization", "Token t")
		msgs := doc.CheckRequest(req, nil)
		if tc.ok != (len(msgs) == 0) || !strings.Contains(strings.Join(msgs, "\n"), tc.want) {
			t.Errorf("%s: messages %q, want ok=%v mentioning %q", tc.query, msgs, tc.ok, tc.want)
		}
	}
	req, _ := http.NewRequest(http.MethodGet, "https://sde.example.com/api/v2/activities/5000000000/", nil)
	req.Header.Set("Authorization", "Token t")
	if msgs := doc.CheckRequest(req, nil); len(msgs) != 0 {
		t.Errorf("an int64 id: %q", msgs)
	}
}
