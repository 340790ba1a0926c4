package main

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
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
	assert.Contains(t, string(msg), "caught up")
	assert.Contains(t, string(msg), "resumed after")

	ids := readIDs(t, out)
	require.Len(t, ids, total)
	for i, id := range ids {
		require.Equal(t, workivatest.ActivityID(i), id, "record %d", i)
	}
	cp, err := loadCheckpoint(out + ".checkpoint")
	require.NoError(t, err)
	assert.False(t, cp.Done, "an event feed is never done")
	assert.NotEmpty(t, cp.SDK)
	assert.Equal(t, int64(total), cp.Items)

	// Run again the same night: nothing new, nothing written.
	msg, err = exec.Command(bin, args...).CombinedOutput()
	require.NoError(t, err, "%s", msg)
	assert.Contains(t, string(msg), "caught up")
	assert.Len(t, readIDs(t, out), total)

	// Later nights: the fake gains 40 new and 10 late activities a night;
	// each night's run is killed once after its first page and restarted.
	for night := 1; night <= 3; night++ {
		nargs := append(append([]string(nil), args...), "-offline-nights", strconv.Itoa(night))
		before, err := loadCheckpoint(out + ".checkpoint")
		require.NoError(t, err)
		cmd := exec.Command(bin, nargs...)
		require.NoError(t, cmd.Start())
		done := make(chan error, 1)
		go func() { done <- cmd.Wait() }()
		killed := false
	wait:
		for {
			select {
			case <-done:
				break wait // finished before the kill: still checked below
			default:
			}
			if cp, err := loadCheckpoint(out + ".checkpoint"); err == nil && cp != nil && cp.Pages > before.Pages {
				_ = cmd.Process.Signal(syscall.SIGKILL)
				<-done
				killed = true
				break
			}
			time.Sleep(time.Millisecond)
		}
		if killed {
			f, err := os.OpenFile(out, os.O_WRONLY|os.O_APPEND, 0)
			require.NoError(t, err)
			_, err = f.WriteString(`{"id":"half-written`)
			require.NoError(t, err)
			require.NoError(t, f.Close())
		}
		msg, err := exec.Command(bin, nargs...).CombinedOutput()
		require.NoError(t, err, "night %d: %s", night, msg)
		t.Logf("night %d (killed %v): %s", night, killed, strings.TrimSpace(string(msg)))

		ids := readIDs(t, out)
		require.Len(t, ids, total+50*night, "night %d", night)
		seen := map[string]bool{}
		for _, id := range ids {
			require.False(t, seen[id], "night %d: %s twice", night, id)
			seen[id] = true
		}
		for i := 0; i < total+50*night; i++ {
			require.True(t, seen[workivatest.ActivityID(i)], "night %d: activity %d missing", night, i)
		}
	}
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
	// Issue 15: an event feed continues with the SDK checkpoint, which holds
	// no host: a fake on a new port continues it.
	require.NotEmpty(t, cp.SDK)
	require.Empty(t, cp.Token)

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
		assert.False(t, cp.Done, "an event feed is never done (issue 15)")
		assert.NotEmpty(t, cp.SDK)
		assert.True(t, cp.Header)
		assert.Equal(t, int64(len(b)), cp.Offset)
		assert.Zero(t, cp.Items)
	}
}

// TestOutDevStdout: -out /dev/stdout writes the records to standard output
// (it used to fail with "truncate /dev/stdout: invalid argument") and gets no
// checkpoint; a -checkpoint with it is a usage error.
func TestOutDevStdout(t *testing.T) {
	bin := buildExport(t)
	cmd := exec.Command(bin, "-feed", "sdelements", "-offline", "-offline-items", "30", "-out", "/dev/stdout", "-progress=false")
	var stdout, stderr strings.Builder
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	require.NoError(t, cmd.Run(), stderr.String())
	lines := strings.Split(strings.TrimSpace(stdout.String()), "\n")
	require.Len(t, lines, 30)
	for _, l := range lines {
		assert.True(t, json.Valid([]byte(l)), l)
	}
	_, err := parseFlags([]string{"-feed", "sdelements", "-out", "/dev/stdout", "-checkpoint", filepath.Join(t.TempDir(), "c")}, discardFile(t))
	require.ErrorContains(t, err, "-checkpoint needs -out to be a regular file")
}

// TestDevNullIsNotATerminal: /dev/null is a character device but no
// terminal, so the live progress line stays off.
func TestDevNullIsNotATerminal(t *testing.T) {
	t.Parallel()
	assert.False(t, isTerminal(discardFile(t)))
	f, err := os.Create(filepath.Join(t.TempDir(), "f"))
	require.NoError(t, err)
	defer f.Close()
	assert.False(t, isTerminal(f))
}

// TestEveryEventFeedContinues: each event feed, run twice offline with the
// same files, writes its records once; the second run appends nothing.
func TestEveryEventFeedContinues(t *testing.T) {
	for _, name := range []string{"workiva-org", "workiva-workspace", "sdelements", "activtrak-log", "activtrak-hours-users", "activtrak-hours-computers"} {
		t.Run(name, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "out.jsonl")
			args := []string{"-feed", name, "-offline", "-offline-items", "200", "-page-size", "30", "-out", out, "-progress=false"}
			require.Equal(t, 0, run(t.Context(), args, io.Discard, discardFile(t)))
			first, err := os.ReadFile(out)
			require.NoError(t, err)
			require.NotEmpty(t, first)
			require.Equal(t, 0, run(t.Context(), args, io.Discard, discardFile(t)))
			second, err := os.ReadFile(out)
			require.NoError(t, err)
			assert.Equal(t, len(first), len(second), "nothing new, nothing appended")
			cp, err := loadCheckpoint(out + ".checkpoint")
			require.NoError(t, err)
			assert.NotEmpty(t, cp.SDK)
			assert.Equal(t, int64(len(second)), cp.Offset)
		})
	}
}
