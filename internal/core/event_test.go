package core

import (
	"context"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/activitysdk/activity-go/internal/fakeserver"
)

type eventLog struct {
	mu     sync.Mutex
	events []Event
}

func (l *eventLog) hook(_ context.Context, e Event) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.events = append(l.events, e)
}

func TestEventHookRequestRetryGiveUpWait(t *testing.T) {
	t.Parallel()
	srv := echoServer(t, "tok-secret-123")
	var log eventLog
	clock := time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC)
	c := newTestClient(t, srv.URL, func(cfg *Config) {
		cfg.Settings.EventHook = log.hook
		cfg.Auth = BearerToken("tok-secret-123")
		cfg.Settings.RatePerSec, cfg.Settings.RateBurst = 1000, 1
	})
	c.now = func() time.Time { return clock }
	srv.FailNext(fakeserver.FaultDrop, fakeserver.Fault503) // a drop on a fresh connection is not re-sent by net/http
	resp, err := c.Do(context.Background(), &Request{Method: http.MethodGet, Path: "/items", Query: map[string][]string{"api_key": {"tok-secret-123"}, "q": {"x"}}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Release()
	srv.FailNext(fakeserver.Fault{Kind: fakeserver.Status, Status: 429, RetryAfter: time.Hour})
	_, err = c.Do(context.Background(), &Request{Method: http.MethodGet, Path: "/items"})
	if err == nil {
		t.Fatal("want the 429")
	}
	log.mu.Lock()
	defer log.mu.Unlock()
	var kinds []string
	for _, e := range log.events {
		if e.Kind == EventWait {
			continue // the rate limit's waits depend on timing
		}
		kinds = append(kinds, string(e.Kind))
		if e.Provider != "test" || e.Method != "GET" || !e.Time.Equal(clock) {
			t.Errorf("event %+v: want provider test, GET, the client's clock", e)
		}
		if strings.Contains(e.URL, "tok-secret-123") || strings.Contains(e.Reason, "tok-secret-123") {
			t.Errorf("credential in event %+v", e)
		}
		if !strings.Contains(e.URL, "/items") {
			t.Errorf("event URL %q", e.URL)
		}
	}
	want := "request retry request retry request request give_up"
	if got := strings.Join(kinds, " "); got != want {
		t.Fatalf("kinds %q, want %q", got, want)
	}
	var ev []Event
	for _, e := range log.events {
		if e.Kind != EventWait {
			ev = append(ev, e)
		}
	}
	if ev[0].Err == nil || ev[0].StatusCode != 0 || ev[0].Attempt != 1 || !strings.HasPrefix(ev[1].Reason, "connection error") || ev[1].Wait <= 0 {
		t.Errorf("dropped connection: %+v %+v", ev[0], ev[1])
	}
	if ev[2].StatusCode != 503 || ev[2].Attempt != 2 || ev[3].Reason != "status 503" || ev[3].Attempt != 3 || ev[3].StatusCode != 503 {
		t.Errorf("503 request/retry: %+v %+v", ev[2], ev[3])
	}
	if ev[4].StatusCode != 200 || ev[4].Attempt != 3 {
		t.Errorf("success: %+v", ev[4])
	}
	if ev[6].StatusCode != 429 || ev[6].Wait != time.Hour || !strings.Contains(ev[6].Reason, "MaxRetryAfter") {
		t.Errorf("give up: %+v", ev[6])
	}
}

func TestEventURLCapped(t *testing.T) {
	t.Parallel()
	var got Event
	c := newTestClient(t, "http://127.0.0.1:1", func(cfg *Config) {
		cfg.Settings.EventHook = func(_ context.Context, e Event) { got = e }
	})
	c.emit(context.Background(), Event{Kind: EventRequest, URL: "http://x/" + strings.Repeat("a", 5000)})
	if len(got.URL) != MaxEventURL || !strings.HasSuffix(got.URL, "...") || got.Provider != "test" {
		t.Fatalf("len %d, provider %q", len(got.URL), got.Provider)
	}
}
