package reliability_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/activitysdk/activity-go/activtrak"
	"github.com/activitysdk/activity-go/analytics"
	closeapi "github.com/activitysdk/activity-go/close"
	"github.com/activitysdk/activity-go/close/closetest"
	"github.com/activitysdk/activity-go/sdelements"
	"github.com/activitysdk/activity-go/workiva"
)

// TestSharedErrorTypesAcrossPackages: every package declares its own
// ValidationError, RequestError and ErrorInfo (so that go doc shows their
// fields), and errors.As fills any package's copy from any package's error,
// as when they were one type.
func TestSharedErrorTypesAcrossPackages(t *testing.T) {
	t.Parallel()
	ctx := context.Background()

	// A *ValidationError from activtrak, found as workiva's, sdelements' and
	// its own.
	at, err := activtrak.NewClient(activtrak.WithAPIKey("k-1234"), activtrak.WithBaseURL(credClosedURL(t)))
	require.NoError(t, err)
	_, err = at.ListActivityLog(ctx, &activtrak.ActivityLogParams{PageSize: -1}).Collect()
	var own *activtrak.ValidationError
	var wv *workiva.ValidationError
	var sv *sdelements.ValidationError
	require.ErrorAs(t, err, &own)
	require.ErrorAs(t, err, &wv)
	require.ErrorAs(t, err, &sv)
	for _, f := range []string{own.Field, wv.Field, sv.Field} {
		assert.Equal(t, "PageSize", f)
	}
	assert.Equal(t, "activtrak", wv.Provider)

	// A *RequestError from analytics (nothing listens), found as close's.
	an, err := analytics.NewClient(analytics.WithToken("t-1234"), analytics.WithBaseURL(credClosedURL(t)),
		analytics.WithRetryPolicy(analytics.NoRetries))
	require.NoError(t, err)
	_, err = an.GetUserActivity(ctx, "aa7cf840-9ca9-46a3-9778-9015d6580d50", "a1d97031-04e2-4907-a249-093f7436207b",
		&analytics.UserActivityParams{StartDate: time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC), EndDate: time.Date(2024, 1, 2, 0, 0, 0, 0, time.UTC)})
	var cre *closeapi.RequestError
	require.ErrorAs(t, err, &cre)
	assert.Equal(t, "analytics", cre.Provider)
	assert.Equal(t, 1, cre.Attempts)

	// A close *APIError's shared fields, found through workiva's and
	// analytics' *ErrorInfo; the sentinels match in every package.
	srv := closetest.NewServer()
	t.Cleanup(srv.Close)
	cl, err := closeapi.NewClient(closeapi.WithAPIKey("wrong-key-1234"), closeapi.WithBaseURL(srv.URL),
		closeapi.WithRetryPolicy(closeapi.NoRetries))
	require.NoError(t, err)
	_, err = cl.ListActivityMetrics(ctx)
	var winfo *workiva.ErrorInfo
	var ainfo *analytics.ErrorInfo
	require.ErrorAs(t, err, &winfo)
	require.ErrorAs(t, err, &ainfo)
	assert.Equal(t, 401, winfo.StatusCode)
	assert.Equal(t, "close", ainfo.Provider)
	assert.True(t, errors.Is(err, workiva.ErrUnauthorized) && errors.Is(err, closeapi.ErrUnauthorized))
}

// TestEnvironmentIsTrimmedAndCheckedAlike: every package trims its
// credential variable and refuses the same values from it as from its
// option.
func TestEnvironmentIsTrimmedAndCheckedAlike(t *testing.T) {
	base := "https://api.example.com"
	news := map[string]func() error{
		"CLOSE_API_KEY":       func() error { _, err := closeapi.NewClient(); return err },
		"ACTIVTRAK_API_KEY":   func() error { _, err := activtrak.NewClient(); return err },
		"SDE_API_TOKEN":       func() error { _, err := sdelements.NewClient(sdelements.WithBaseURL(base)); return err },
		"ANALYTICS_API_TOKEN": func() error { _, err := analytics.NewClient(); return err },
		"WORKIVA_CLIENT_SECRET": func() error {
			t.Setenv("WORKIVA_CLIENT_ID", " id-1234\n")
			_, err := workiva.NewClient()
			return err
		},
	}
	for env, nc := range news {
		t.Setenv(env, "  tok-1234\n")
		require.NoError(t, nc(), "%s with surrounding white space", env)
		t.Setenv(env, "tok 1234")
		err := nc()
		require.Error(t, err, "%s with an inner space", env)
		assert.Contains(t, err.Error(), env+": ")
		assert.Contains(t, err.Error(), "must not contain spaces or control characters")
		assert.NotContains(t, err.Error(), "tok 1234")
		t.Setenv(env, "")
	}
}
