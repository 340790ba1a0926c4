package core

import (
	"bytes"
	"log/slog"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/activitysdk/activity-go/internal/fakeserver"
)

// fastRetry keeps fault tests quick.
var fastRetry = RetryPolicy{MaxRetries: 3, MinBackoff: time.Millisecond, MaxBackoff: 4 * time.Millisecond, MaxRetryAfter: 2 * time.Second}

type logBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.Write(p)
}

func (l *logBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.String()
}

func newLogger() (*slog.Logger, *logBuffer) {
	lb := &logBuffer{}
	return slog.New(slog.NewTextHandler(lb, &slog.HandlerOptions{Level: slog.LevelDebug})), lb
}

// echoServer answers 200 {"ok":true,"n":<count>} on every path and checks a
// bearer token when token != "".
func echoServer(t *testing.T, token string) *fakeserver.Server {
	t.Helper()
	cfg := fakeserver.Config{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fakeserver.WriteJSON(w, 200, map[string]any{"ok": true, "path": r.URL.EscapedPath(), "query": r.URL.RawQuery})
	})}
	if token != "" {
		cfg.Auth = fakeserver.CheckBearer(func(t string) bool { return t == token })
	}
	srv := fakeserver.New(cfg)
	t.Cleanup(srv.Close)
	return srv
}

func newTestClient(t *testing.T, base string, mut func(*Config)) *Client {
	t.Helper()
	cfg := Config{Provider: "test", DefaultBaseURL: base, Settings: Settings{Retry: fastRetry}}
	if mut != nil {
		mut(&cfg)
	}
	c, err := New(cfg)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return c
}
