package close_test

import (
	"context"
	"log/slog"
	"net/http"
	"sync"
	"testing"
	"time"

	"go.uber.org/goleak"

	closeapi "github.com/activitysdk/activity-go/close"
	"github.com/activitysdk/activity-go/close/closetest"
	"github.com/activitysdk/activity-go/internal/contract"
)

// TestMain runs the tests with every closetest fake's traffic validated
// against the Close contract: every request the SDK sends to a fake and
// every answer a fake gives (go test -v, or CONTRACT_COUNTS=1, prints the
// counts).
func TestMain(m *testing.M) {
	goleak.VerifyTestMain(contract.Main(m, contract.Docs{"close": contract.File(closeContract)}))
}

// closeContract is the OpenAPI description the SDK and closetest follow.
const closeContract = "testdata/close-reporting.openapi.yaml"

// fastRetries keeps fault tests fast: backoff guesses are 1-5ms, so a wait
// of tens of milliseconds can only be a server hint.
var fastRetries = closeapi.RetryPolicy{MaxRetries: 3, MinBackoff: time.Millisecond, MaxBackoff: 5 * time.Millisecond}

func newFake(t *testing.T, opts ...closetest.Option) *closetest.Server {
	t.Helper()
	srv := closetest.NewServer(opts...)
	t.Cleanup(srv.Close)
	contract.Bind(t, srv.URL)
	return srv
}

func newClient(t *testing.T, srv *closetest.Server, opts ...closeapi.Option) *closeapi.Client {
	t.Helper()
	all := append([]closeapi.Option{closeapi.WithBaseURL(srv.URL + closetest.BasePath), closeapi.WithAPIKey(closetest.APIKey),
		closeapi.WithRetryPolicy(fastRetries)}, opts...)
	c, err := closeapi.NewClient(all...)
	if err != nil {
		t.Fatalf("NewClient: %v", err)
	}
	return c
}

// logSink records log events.
type logSink struct {
	mu   sync.Mutex
	recs []logRec
}

type logRec struct {
	Msg   string
	Level slog.Level
	Attrs map[string]any
}

func (s *logSink) Enabled(context.Context, slog.Level) bool { return true }
func (s *logSink) Handle(_ context.Context, r slog.Record) error {
	rec := logRec{Msg: r.Message, Level: r.Level, Attrs: map[string]any{}}
	r.Attrs(func(a slog.Attr) bool { rec.Attrs[a.Key] = a.Value.Any(); return true })
	s.mu.Lock()
	s.recs = append(s.recs, rec)
	s.mu.Unlock()
	return nil
}
func (s *logSink) WithAttrs([]slog.Attr) slog.Handler { return s }
func (s *logSink) WithGroup(string) slog.Handler      { return s }

func (s *logSink) records(msg string) []logRec {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []logRec
	for _, r := range s.recs {
		if r.Msg == msg {
			out = append(out, r)
		}
	}
	return out
}

// answerRecorder is a transport that records the status and headers of
// every answer, for comparing the client's waits with the server's hints.
type answerRecorder struct {
	base    *http.Transport
	mu      sync.Mutex
	answers []answer
}

func newAnswerRecorder(t *testing.T) *answerRecorder {
	a := &answerRecorder{base: http.DefaultTransport.(*http.Transport).Clone()}
	t.Cleanup(a.base.CloseIdleConnections)
	return a
}

type answer struct {
	Status int
	Header http.Header
}

func (a *answerRecorder) RoundTrip(r *http.Request) (*http.Response, error) {
	resp, err := a.base.RoundTrip(r)
	if err == nil {
		a.mu.Lock()
		a.answers = append(a.answers, answer{resp.StatusCode, resp.Header.Clone()})
		a.mu.Unlock()
	}
	return resp, err
}

func (a *answerRecorder) with(status int) []answer {
	a.mu.Lock()
	defer a.mu.Unlock()
	var out []answer
	for _, x := range a.answers {
		if x.Status == status {
			out = append(out, x)
		}
	}
	return out
}
