package main

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/activitysdk/activity-go/analytics"
	"github.com/activitysdk/activity-go/analytics/analyticstest"
)

func readLines(t *testing.T, path string) []map[string]any {
	t.Helper()
	f, err := os.Open(path)
	require.NoError(t, err)
	defer f.Close()
	var out []map[string]any
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		var m map[string]any
		require.NoError(t, json.Unmarshal(sc.Bytes(), &m), "line %d", len(out)+1)
		out = append(out, m)
	}
	require.NoError(t, sc.Err())
	return out
}

// The device and app series export one record per day of the range.
func TestExportAnalyticsDeviceAndAppSeries(t *testing.T) {
	for _, tc := range []struct{ feed, metric, want string }{
		{"analytics-device", "", "activity-count"},
		{"analytics-device", "user-count", "user-count"},
		{"analytics-app", "", "active-time"},
		{"analytics-app", "session-count", "session-count"},
	} {
		out := filepath.Join(t.TempDir(), "series.jsonl")
		args := []string{"-feed", tc.feed, "-offline", "-out", out, "-progress=false", "-from", "2026-01-01", "-to", "2026-06-30"}
		if tc.metric != "" {
			args = append(args, "-metric", tc.metric)
		}
		require.Equal(t, 0, run(t.Context(), args, io.Discard, discardFile(t)), tc.feed)
		recs := readLines(t, out)
		require.Len(t, recs, 181, tc.feed)
		assert.Equal(t, "2026-01-01", recs[0]["date"])
		assert.Equal(t, "2026-06-30", recs[180]["date"])
		for _, r := range recs {
			assert.Equal(t, tc.want, r["metric"])
		}
		d := time.Date(2026, 3, 3, 0, 0, 0, 0, time.UTC)
		want := analyticstest.DeviceValue(analyticstest.ClientID, analyticstest.DeviceID, tc.want, d)
		if tc.feed == "analytics-app" {
			want = analyticstest.AppValue(analyticstest.ClientID, analyticstest.AppID, tc.want, d)
		}
		assert.Equal(t, want, recs[61]["value"], "%s 2026-03-03", tc.feed)
	}
}

// The utilization list is a paged feed: with faults injected and small
// pages, the export holds every app once, in the API's order, and a second
// run says it is complete.
func TestExportAnalyticsUtilization(t *testing.T) {
	srv := analyticstest.NewServer()
	defer srv.Close()
	c, err := analytics.NewClient(analytics.WithToken(analyticstest.Token), analytics.WithBaseURL(srv.URL+analyticstest.BasePath))
	require.NoError(t, err)
	rows, err := c.ListAppUtilization(context.Background(), analyticstest.ClientID, &analytics.AppUtilizationParams{
		StartDate: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), EndDate: time.Date(2026, 3, 31, 0, 0, 0, 0, time.UTC), PageSize: 200}).Collect()
	require.NoError(t, err)
	var want []any
	for _, r := range rows {
		want = append(want, r.App.ID)
	}

	dir := t.TempDir()
	out := filepath.Join(dir, "apps.jsonl")
	args := []string{"-feed", "analytics-utilization", "-offline", "-out", out, "-progress=false", "-from", "2026-01-01", "-to", "2026-03-31",
		"-page-size", "9", "-fault-rate", "0.3"}
	require.Equal(t, 0, run(t.Context(), args, io.Discard, discardFile(t)))
	recs := readLines(t, out)
	var got []any
	for _, r := range recs {
		got = append(got, r["app"].(map[string]any)["id"])
		assert.Contains(t, r, "active_time_ms")
	}
	assert.Equal(t, want, got)
	cp, err := loadCheckpoint(out + ".checkpoint")
	require.NoError(t, err)
	assert.True(t, cp.Done)
	assert.EqualValues(t, (len(want)+8)/9, cp.Pages)

	csvOut := filepath.Join(dir, "apps.csv")
	require.Equal(t, 0, run(t.Context(), []string{"-feed", "analytics-utilization", "-offline", "-format", "csv", "-out", csvOut, "-progress=false"},
		io.Discard, discardFile(t)))
	b, err := os.ReadFile(csvOut)
	require.NoError(t, err)
	assert.True(t, strings.HasPrefix(string(b), "appId,name,vendor,uniqueUsers,activeTimeMs,avgTimeMsPerDay,sessionCount,usageLevel,riskLevel\n"))
}
