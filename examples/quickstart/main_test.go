package main

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

func clearCredentials(t *testing.T) {
	for _, v := range []string{"WORKIVA_CLIENT_ID", "WORKIVA_CLIENT_SECRET", "WORKIVA_ORGANIZATION_ID", "ACTIVTRAK_API_KEY",
		"SDE_BASE_URL", "SDE_API_TOKEN", "CLOSE_API_KEY", "ANALYTICS_API_TOKEN", "ANALYTICS_BASE_URL",
		"ANALYTICS_CLIENT_ID", "ANALYTICS_USER_ID"} {
		t.Setenv(v, "")
	}
}

// TestQuickstartOffline is the README's first command: every provider,
// against its fake, succeeds and shows what it fetched.
func TestQuickstartOffline(t *testing.T) {
	clearCredentials(t)
	var out, errOut strings.Builder
	code := run(t.Context(), &out, &errOut)
	require.Equal(t, 0, code, errOut.String())
	assert.Empty(t, errOut.String())
	want := map[string]string{
		"ListOrganizationActivities": "2500", "ListActivityLog": "3500", "ListActivities": "1200",
		"GetActivityReport": "30", "GetUserActivity": "365", "ListActivityMetrics": "18",
		"ListAppUtilization": "105",
	}
	// The table ends at the first blank line (issue 15: decoded records
	// follow it); the continued run has a row of its own.
	lines := strings.Split(strings.SplitN(out.String(), "\n\n", 2)[0], "\n")
	for op, items := range want {
		found := false
		for _, l := range lines {
			if strings.Contains(l, op) && !strings.Contains(l, "(next run") {
				found = true
				f := strings.Fields(l)
				assert.Contains(t, f, items, l)
				assert.Contains(t, f, "fake", l)
			}
		}
		assert.True(t, found, op)
	}
	// What the SDK decoded: records, the continued feed, the retry.
	text := out.String()
	assert.Regexp(t, `ListOrganizationActivities \(next run, from the checkpoint\)\s+fake\s+3\s+1\s`, text, "only the 3 new activities")
	assert.Contains(t, text, "retry 2 after")
	assert.Contains(t, text, "(status 503), seen by the event hook")
	assert.Contains(t, text, "2024-06-03T08:00:00Z  log 1  user01 on PC-001: chrome.exe")
	assert.Contains(t, text, "#1200 ")
	assert.Contains(t, text, "2025-06-02  activity-count = ")
}

// TestQuickstartReportsFailures: a half-configured provider fails clearly
// and the exit status says so.
func TestQuickstartReportsFailures(t *testing.T) {
	clearCredentials(t)
	t.Setenv("SDE_BASE_URL", "http://sde.example.com") // http on a public host: refused
	t.Setenv("SDE_API_TOKEN", "tok-xyz-123")
	var out, errOut strings.Builder
	code := run(t.Context(), &out, &errOut)
	assert.Equal(t, 1, code)
	assert.Contains(t, errOut.String(), "sdelements NewClient")
	assert.Contains(t, errOut.String(), "1 of ")
	assert.NotContains(t, errOut.String(), "tok-xyz-123")
}
