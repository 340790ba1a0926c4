package core_test

import (
	"context"
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/activitysdk/activity-go/internal/core"
	"github.com/activitysdk/activity-go/internal/fakeserver"
)

func TestSmoke(t *testing.T) {
	srv := fakeserver.New(fakeserver.Config{
		Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			fakeserver.WriteJSON(w, 200, map[string]any{"path": r.URL.EscapedPath(), "q": r.URL.RawQuery})
		}),
		Auth: fakeserver.CheckBearer(func(t string) bool { return t == "sekret" }),
	})
	defer srv.Close()
	c, err := core.New(core.Config{Provider: "test", Settings: core.Settings{BaseURL: srv.URL + "/v2", Retry: core.RetryPolicy{MaxRetries: 3, MinBackoff: time.Millisecond, MaxBackoff: 5 * time.Millisecond}}, Auth: core.BearerToken("sekret")})
	if err != nil {
		t.Fatal(err)
	}
	srv.FailNext(fakeserver.Fault500, fakeserver.FaultDrop, fakeserver.FaultTruncate)
	var out struct{ Path, Q string }
	resp, err := c.DoJSON(context.Background(), &core.Request{Method: "GET", Path: core.Path("a/b", "..", "x+y="), Query: map[string][]string{"$maxpagesize": {"5"}}}, &out)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%+v attempts=%d", out, resp.Attempts)
	srv.FailNext(fakeserver.Fault{Kind: fakeserver.Status, Status: 429, RetryAfter: time.Hour})
	_, err = c.DoJSON(context.Background(), &core.Request{Method: "GET", Path: "/x"}, nil)
	t.Logf("err=%v is429=%v", err, errors.Is(err, core.ErrRateLimited))
}
