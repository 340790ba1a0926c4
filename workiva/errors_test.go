package workiva_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/activitysdk/activity-go/workiva"
	"github.com/activitysdk/activity-go/workiva/workivatest"
)

func TestEachErrorStatusIsTyped(t *testing.T) {
	t.Parallel()
	srv := workivatest.NewServer()
	defer srv.Close()
	c := newClient(t, srv, workiva.WithRetryPolicy(workiva.NoRetries))
	sentinels := map[int]error{401: workiva.ErrUnauthorized, 403: workiva.ErrForbidden, 404: workiva.ErrNotFound, 429: workiva.ErrRateLimited}
	all := []error{workiva.ErrUnauthorized, workiva.ErrForbidden, workiva.ErrNotFound, workiva.ErrRateLimited}
	for _, status := range []int{400, 401, 403, 404, 409, 429, 500, 502, 503, 504} {
		f := workivatest.Fault{Kind: workivatest.Status, Status: status}
		if status == 429 {
			f.RetryAfter = 3 * time.Second
		}
		srv.FailNext(f)
		if status == 401 {
			srv.FailNext(f) // a 401 is retried once with a fresh token
		}
		_, err := c.GetActivity(context.Background(), workivatest.ActivityID(1))
		var ae *workiva.APIError
		require.ErrorAs(t, err, &ae, status)
		assert.Equal(t, status, ae.StatusCode)
		assert.Equal(t, workivatest.StatusCode(status), ae.Code)
		assert.Equal(t, "injected fault: "+http.StatusText(status), ae.Message)
		assert.Equal(t, "2026-01-01", ae.Version)
		wantAttempts := 1
		if status == 401 {
			wantAttempts = 2 // the first request and the one after the token refresh
		}
		assert.Equal(t, wantAttempts, ae.Attempts)
		for _, s := range all {
			assert.Equal(t, s == sentinels[status], errors.Is(err, s), "%d %v", status, s)
		}
		if status == 429 {
			assert.Equal(t, 3*time.Second, ae.RetryAfter)
		}
	}
}

func TestRetriesThenTypedError(t *testing.T) {
	t.Parallel()
	srv := workivatest.NewServer()
	defer srv.Close()
	c := newClient(t, srv)
	srv.FailNext(workivatest.Fault500, workivatest.Fault502, workivatest.Fault503, workivatest.Fault504)
	_, err := c.GetActivity(context.Background(), workivatest.ActivityID(1))
	var ae *workiva.APIError
	require.ErrorAs(t, err, &ae)
	assert.Equal(t, 504, ae.StatusCode)
	assert.Equal(t, 4, ae.Attempts)

	srv.FailNext(workivatest.Fault500, workivatest.FaultDrop, workivatest.FaultTruncate)
	a, err := c.GetActivity(context.Background(), workivatest.ActivityID(1))
	require.NoError(t, err)
	assert.Equal(t, workivatest.ActivityID(1), a.ID)
}

func TestNonJSONAndIAMErrorBodies(t *testing.T) {
	t.Parallel()
	srv := workivatest.NewServer()
	defer srv.Close()
	c := newClient(t, srv, workiva.WithRetryPolicy(workiva.NoRetries))

	srv.FailNext(workivatest.Fault{Kind: workivatest.Status, Status: 502,
		Header: http.Header{"Content-Type": {"text/html"}}, Body: "<html><head><title>502 Bad Gateway</title></head></html>"})
	_, err := c.GetActivity(context.Background(), workivatest.ActivityID(1))
	var ae *workiva.APIError
	require.ErrorAs(t, err, &ae)
	assert.Empty(t, ae.Code)
	assert.Equal(t, "502 Bad Gateway", ae.Message)
	assert.Contains(t, string(ae.Body), "<title>")

	iam := workivatest.Fault{Kind: workivatest.Status, Status: 401,
		Body: `{"error":"invalid_token","error_description":"The access token expired"}`}
	srv.FailNext(iam, iam)
	_, err = c.GetActivity(context.Background(), workivatest.ActivityID(1))
	require.ErrorAs(t, err, &ae)
	assert.Equal(t, "invalid_token", ae.Code)
	assert.Equal(t, "The access token expired", ae.Message)

	srv.FailNext(workivatest.Fault{Kind: workivatest.Status, Status: 500, Body: "upstream timeout\nstack..."})
	_, err = c.GetActivity(context.Background(), workivatest.ActivityID(1))
	require.ErrorAs(t, err, &ae)
	assert.Equal(t, "upstream timeout", ae.Message)
}

func TestAccessTokenNeverInErrors(t *testing.T) {
	t.Parallel()
	srv := workivatest.NewServer()
	defer srv.Close()
	c := newClient(t, srv, workiva.WithRetryPolicy(workiva.NoRetries))
	_, err := c.GetActivity(context.Background(), workivatest.ActivityID(1))
	require.NoError(t, err)
	tok := srv.Requests()[0].Header.Get("Authorization")[len("Bearer "):]
	srv.FailNext(workivatest.Fault{Kind: workivatest.Status, Status: 400,
		Body: `{"code":"BadArgument","message":"token ` + tok + ` and ` + workivatest.ClientSecret + ` echoed"}`})
	_, err = c.GetActivity(context.Background(), workivatest.ActivityID(1))
	var ae *workiva.APIError
	require.ErrorAs(t, err, &ae)
	assert.NotContains(t, err.Error(), tok)
	assert.NotContains(t, string(ae.Body), tok)
	assert.NotContains(t, string(ae.Body), workivatest.ClientSecret)
}

// A credential the server echoes JSON-escaped in "target" or "details" is
// only readable once decoded; it must not reach those fields or Error().
func TestEscapedCredentialNotInTargetOrDetails(t *testing.T) {
	t.Parallel()
	srv := workivatest.NewServer()
	defer srv.Close()
	c := newClient(t, srv, workiva.WithRetryPolicy(workiva.NoRetries))
	_, err := c.GetActivity(context.Background(), workivatest.ActivityID(1))
	require.NoError(t, err)
	tok := srv.Requests()[0].Header.Get("Authorization")[len("Bearer "):]
	esc := func(s string) string { return fmt.Sprintf(`\u%04x`, s[0]) + s[1:] }
	srv.FailNext(workivatest.Fault{Kind: workivatest.Status, Status: 400,
		Body: `{"code":"BadArgument","message":"bad","target":"` + esc(tok) + `",` +
			`"details":[{"code":"C","message":"` + esc(workivatest.ClientSecret) + `","target":"` + esc(tok) + `"}]}`})
	_, err = c.GetActivity(context.Background(), workivatest.ActivityID(1))
	var ae *workiva.APIError
	require.ErrorAs(t, err, &ae)
	for _, s := range []string{err.Error(), ae.Target, ae.Details[0].Message, ae.Details[0].Target} {
		assert.NotContains(t, s, tok)
		assert.NotContains(t, s, workivatest.ClientSecret)
	}
	assert.Equal(t, "REDACTED", ae.Target)
}
