package main

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/activitysdk/activity-go/workiva/workivatest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// buildExport compiles the command once per test binary.
func buildExport(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "export")
	cmd := exec.Command("go", "build", "-o", bin, ".")
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, "go build: %s", out)
	return bin
}

func readIDs(t *testing.T, path string) []string {
	t.Helper()
	f, err := os.Open(path)
	require.NoError(t, err)
	defer f.Close()
	var ids []string
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		var rec struct {
			ID string `json:"id"`
		}
		require.NoError(t, json.Unmarshal(sc.Bytes(), &rec), "line %d is not whole JSON: %q", len(ids)+1, sc.Text())
		ids = append(ids, rec.ID)
	}
	require.NoError(t, sc.Err())
	return ids
}

// TestKilledExportResumesExactlyOnce runs the export against the Workiva fake
// with 30% of requests failing, kills it with SIGKILL twice in the middle of
// the walk, resumes it each time from its checkpoint, and checks that the
// output holds every activity exactly once, in the fake's order.
func TestKilledExportResumesExactlyOnce(t *testing.T) {
	bin := buildExport(t)
	dir := t.TempDir()
	out := filepath.Join(dir, "activities.jsonl")
	const total = 3000
	args := []string{"-feed", "workiva-org", "-offline", "-offline-items", "3000", "-page-size", "50",
		"-fault-rate", "0.3", "-latency", "10ms", "-out", out, "-progress=false"}

	for kill, atItems := range []int64{600, 1800} {
		cmd := exec.Command(bin, args...)
		var stderr strings.Builder
		cmd.Stderr = &stderr
		require.NoError(t, cmd.Start())
		deadline := time.Now().Add(60 * time.Second)
		for {
			cp, err := loadCheckpoint(out + ".checkpoint")
			if err == nil && cp != nil && cp.Items >= atItems {
				break
			}
			require.True(t, time.Now().Before(deadline), "export made no progress: %s", stderr.String())
			time.Sleep(5 * time.Millisecond)
		}
		require.NoError(t, cmd.Process.Signal(syscall.SIGKILL))
		_ = cmd.Wait()
		cp, err := loadCheckpoint(out + ".checkpoint")
		require.NoError(t, err)
		require.False(t, cp.Done, "kill %d came too late", kill)
		// What was written after the checkpoint (a page in flight) is cut
		// on resume; simulate the worst case, a half-written record.
		f, err := os.OpenFile(out, os.O_WRONLY|os.O_APPEND, 0)
		require.NoError(t, err)
		_, err = f.WriteString(`{"id":"half-written`)
		require.NoError(t, err)
		require.NoError(t, f.Close())
	}

	cmd := exec.Command(bin, args...)
	msg, err := cmd.CombinedOutput()
	require.NoError(t, err, "resume: %s", msg)
	assert.Contains(t, string(msg), "complete")
	assert.Contains(t, string(msg), "resumed after")

	ids := readIDs(t, out)
	require.Len(t, ids, total)
	for i, id := range ids {
		require.Equal(t, workivatest.ActivityID(i), id, "record %d", i)
	}
	cp, err := loadCheckpoint(out + ".checkpoint")
	require.NoError(t, err)
	assert.True(t, cp.Done)
	assert.Equal(t, int64(total), cp.Items)

	// A finished export is not repeated.
	msg, err = exec.Command(bin, args...).CombinedOutput()
	require.NoError(t, err)
	assert.Contains(t, string(msg), "already complete")
	assert.Len(t, readIDs(t, out), total)
}

// TestInterruptedExportResumes sends SIGINT: the export stops with status
// 130 and a valid checkpoint, and the next run completes it.
func TestInterruptedExportResumes(t *testing.T) {
	bin := buildExport(t)
	dir := t.TempDir()
	out := filepath.Join(dir, "log.csv")
	args := []string{"-feed", "activtrak-log", "-offline", "-offline-items", "2000", "-page-size", "40",
		"-latency", "10ms", "-format", "csv", "-out", out, "-progress=false"}
	cmd := exec.Command(bin, args...)
	require.NoError(t, cmd.Start())
	deadline := time.Now().Add(60 * time.Second)
	for {
		cp, err := loadCheckpoint(out + ".checkpoint")
		if err == nil && cp != nil && cp.Items >= 400 {
			break
		}
		require.True(t, time.Now().Before(deadline))
		time.Sleep(5 * time.Millisecond)
	}
	require.NoError(t, cmd.Process.Signal(os.Interrupt))
	err := cmd.Wait()
	var ee *exec.ExitError
	require.ErrorAs(t, err, &ee)
	assert.Equal(t, 130, ee.ExitCode())

	msg, err := exec.Command(bin, args...).CombinedOutput()
	require.NoError(t, err, "%s", msg)
	assert.Contains(t, string(msg), "caught up")
	b, err := os.ReadFile(out)
	require.NoError(t, err)
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")
	require.Equal(t, "logId,date,user,computer,executable,description,url,duration", lines[0], "one header")
	require.Len(t, lines, 2001)
	seen := map[string]bool{}
	for i, l := range lines[1:] {
		id := strings.SplitN(l, ",", 2)[0]
		require.False(t, seen[id], "logId %s twice", id)
		seen[id] = true
		require.Equal(t, i+1, mustAtoi(t, id), "order")
	}
	// A cursor feed continues from its last cursor: nothing new, nothing written.
	msg, err = exec.Command(bin, args...).CombinedOutput()
	require.NoError(t, err, "%s", msg)
	b2, _ := os.ReadFile(out)
	assert.Equal(t, len(b), len(b2))
}

func mustAtoi(t *testing.T, s string) int {
	t.Helper()
	n := 0
	for _, c := range s {
		require.True(t, c >= '0' && c <= '9', s)
		n = n*10 + int(c-'0')
	}
	return n
}

func TestUsageErrors(t *testing.T) {
	t.Parallel()
	cases := map[string][]string{
		"unknown -feed":          {"-feed", "nope"},
		"-format must be":        {"-feed", "sdelements", "-format", "xml"},
		"-checkpoint needs -out": {"-feed", "sdelements", "-checkpoint", "x.ckpt"},
		"only apply with":        {"-feed", "sdelements", "-fault-rate", "0.5"},
		"-from":                  {"-feed", "sdelements", "-from", "yesterday"},
		"unexpected argument":    {"-feed", "sdelements", "extra"},
	}
	for want, args := range cases {
		_, err := parseFlags(args, discardFile(t))
		require.Error(t, err, want)
		assert.Contains(t, err.Error(), want)
	}
}

func discardFile(t *testing.T) *os.File {
	f, err := os.OpenFile(os.DevNull, os.O_WRONLY, 0)
	require.NoError(t, err)
	t.Cleanup(func() { f.Close() })
	return f
}

// TestEveryFeedOffline runs each feed once in-process against its fake.
func TestEveryFeedOffline(t *testing.T) {
	for _, f := range feeds {
		t.Run(f.name, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "out.jsonl")
			code := run(t.Context(), []string{"-feed", f.name, "-offline", "-offline-items", "300", "-out", out, "-progress=false"},
				os.Stdout, discardFile(t))
			require.Equal(t, 0, code)
			b, err := os.ReadFile(out)
			require.NoError(t, err)
			lines := strings.Split(strings.TrimSpace(string(b)), "\n")
			assert.NotEmpty(t, lines)
			for _, l := range lines {
				assert.True(t, json.Valid([]byte(l)), l)
			}
			cp, err := loadCheckpoint(out + ".checkpoint")
			require.NoError(t, err)
			assert.Equal(t, int64(len(lines)), cp.Items)
		})
	}
}

func TestPortableToken(t *testing.T) {
	t.Parallel()
	cases := map[string]string{
		"https://api.app.wdesk.com/organizations/o/activities?$next=abc&$maxpagesize=50": "/organizations/o/activities?$next=abc&$maxpagesize=50",
		"http://127.0.0.1:4321/api/v2/activities/?page=3&page_size=50":                   "/api/v2/activities/?page=3&page_size=50",
		"/organizations/o/activities?$next=x":                                            "/organizations/o/activities?$next=x",
		"opaque+token==":                                                                 "opaque+token==",
		"17":                                                                             "17",
		"":                                                                               "",
	}
	for in, want := range cases {
		assert.Equal(t, want, portableToken(in), in)
	}
}

// TestKilledSDElementsExportResumes: an export whose page tokens are
// absolute next links resumes against a fake on a new port.
func TestKilledSDElementsExportResumes(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "sde.jsonl")
	args := []string{"-feed", "sdelements", "-offline", "-offline-items", "500", "-page-size", "20", "-out", out, "-progress=false"}
	// Run in-process, stopping after five pages by cancelling the context.
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan int, 1)
	go func() { done <- run(ctx, append(args, "-latency", "5ms"), os.Stdout, discardFile(t)) }()
	deadline := time.Now().Add(60 * time.Second)
	for {
		cp, _ := loadCheckpoint(out + ".checkpoint")
		if cp != nil && cp.Pages >= 5 {
			break
		}
		require.True(t, time.Now().Before(deadline), "export made no progress")
		time.Sleep(2 * time.Millisecond)
	}
	cancel()
	require.Equal(t, 130, <-done)
	cp, err := loadCheckpoint(out + ".checkpoint")
	require.NoError(t, err)
	require.True(t, strings.HasPrefix(cp.Token, "/api/v2/activities/"), cp.Token)

	require.Equal(t, 0, run(t.Context(), append(args, "-latency", "5ms"), os.Stdout, discardFile(t)))
	b, err := os.ReadFile(out)
	require.NoError(t, err)
	var ids []int64
	for _, l := range strings.Split(strings.TrimSpace(string(b)), "\n") {
		var rec struct{ ID int64 }
		require.NoError(t, json.Unmarshal([]byte(l), &rec))
		ids = append(ids, rec.ID)
	}
	require.Len(t, ids, 500)
	seen := map[int64]bool{}
	for _, id := range ids {
		require.False(t, seen[id], "id %d twice", id)
		seen[id] = true
	}
}

// TestOutputWithoutMatchingCheckpointIsRefused: a fresh export does not
// overwrite a non-empty file, and a resume does not pad an output that is
// shorter than its checkpoint says.
func TestOutputWithoutMatchingCheckpointIsRefused(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "out.jsonl")
	args := []string{"-feed", "analytics", "-offline", "-out", out, "-progress=false"}
	require.NoError(t, os.WriteFile(out, []byte("someone else's data\n"), 0o644))
	assert.Equal(t, 2, run(t.Context(), args, os.Stdout, discardFile(t)))
	b, err := os.ReadFile(out)
	require.NoError(t, err)
	assert.Equal(t, "someone else's data\n", string(b), "left as it was")
	_, err = os.Stat(out + ".checkpoint")
	assert.ErrorIs(t, err, os.ErrNotExist)

	// An interrupted export whose output was since cut short.
	cfg, err := parseFlags(args, discardFile(t))
	require.NoError(t, err)
	cp := &checkpoint{Version: checkpointVersion, Feed: cfg.feedKey(), Format: "jsonl", Offset: 1000, Items: 10, Pages: 1}
	require.NoError(t, cp.save(out+".checkpoint"))
	assert.Equal(t, 1, run(t.Context(), args, os.Stdout, discardFile(t)))
	b, err = os.ReadFile(out)
	require.NoError(t, err)
	assert.Equal(t, "someone else's data\n", string(b), "not padded")

	// A fresh export into a new file checkpoints before its first page.
	require.NoError(t, os.Remove(out))
	require.NoError(t, os.Remove(out+".checkpoint"))
	require.Equal(t, 0, run(t.Context(), args, os.Stdout, discardFile(t)))
	got, err := loadCheckpoint(out + ".checkpoint")
	require.NoError(t, err)
	assert.True(t, got.Done)
	assert.EqualValues(t, 365, got.Items)
}

// TestSummaryShowsTotalWhenKnown: SD Elements reports the list's count, so
// the progress and summary line read "N of M items"; Workiva reports none.
func TestSummaryShowsTotalWhenKnown(t *testing.T) {
	for _, tc := range []struct{ feed, want string }{
		{"sdelements", "sdelements: 250 of 250 items (100%), 3 pages,"},
		{"workiva-org", "workiva-org: 250 items, 3 pages,"},
	} {
		dir := t.TempDir()
		errFile, err := os.Create(filepath.Join(dir, "stderr"))
		require.NoError(t, err)
		code := run(t.Context(), []string{"-feed", tc.feed, "-offline", "-offline-items", "250", "-page-size", "100",
			"-out", filepath.Join(dir, "out.jsonl"), "-progress=false"}, io.Discard, errFile)
		require.NoError(t, errFile.Close())
		require.Equal(t, 0, code)
		b, err := os.ReadFile(errFile.Name())
		require.NoError(t, err)
		assert.Contains(t, string(b), tc.want)
	}
}

// TestEmptyCSVExportHasHeader: a feed with no records still yields a CSV
// file with its header line, recorded in the checkpoint so that a second
// run adds nothing.
func TestEmptyCSVExportHasHeader(t *testing.T) {
	out := filepath.Join(t.TempDir(), "empty.csv")
	args := []string{"-feed", "sdelements", "-offline", "-offline-items", "0", "-format", "csv", "-out", out, "-progress=false"}
	for range 2 {
		require.Equal(t, 0, run(t.Context(), args, io.Discard, discardFile(t)))
		b, err := os.ReadFile(out)
		require.NoError(t, err)
		assert.Equal(t, "id,date,name,actor,text,logLevel\n", string(b))
		cp, err := loadCheckpoint(out + ".checkpoint")
		require.NoError(t, err)
		assert.True(t, cp.Done)
		assert.True(t, cp.Header)
		assert.Equal(t, int64(len(b)), cp.Offset)
		assert.Zero(t, cp.Items)
	}
}
