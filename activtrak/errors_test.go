package activtrak_test

import (
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/activitysdk/activity-go/activtrak"
	"github.com/activitysdk/activity-go/activtrak/activtraktest"
)

func TestErrorStatusesMapToTypedErrors(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name     string
		fault    activtraktest.Fault
		sentinel error
		code     string
		message  string
		messages []string
		retry    time.Duration
	}{
		{"400 messages", activtraktest.Fault{Kind: activtraktest.Status, Status: 400,
			Body: `{"messages":["Invalid date.","Try again."],"success":false}`}, nil, "", "Invalid date.; Try again.",
			[]string{"Invalid date.", "Try again."}, 0},
		{"401", activtraktest.Fault{Kind: activtraktest.Status, Status: 401}, activtrak.ErrUnauthorized, "",
			"injected fault: Unauthorized", []string{"injected fault: Unauthorized"}, 0},
		{"403 message", activtraktest.Fault{Kind: activtraktest.Status, Status: 403,
			Body: `{"message":"Key lacks permission","code":"E403"}`}, activtrak.ErrForbidden, "E403", "Key lacks permission", nil, 0},
		{"404 error field", activtraktest.Fault{Kind: activtraktest.Status, Status: 404,
			Body: `{"error":"Not Found","code":404}`}, activtrak.ErrNotFound, "404", "Not Found", nil, 0},
		{"429 retry after", activtraktest.Fault{Kind: activtraktest.Status, Status: 429, RetryAfter: time.Hour},
			activtrak.ErrRateLimited, "", "injected fault: Too Many Requests", []string{"injected fault: Too Many Requests"}, time.Hour},
		{"500 problem document", activtraktest.Fault{Kind: activtraktest.Status, Status: 500,
			Body: `{"title":"One or more validation errors occurred.","errors":{"to":["bad"],"from":["bad","worse"]}}`}, nil, "",
			"One or more validation errors occurred.; from: bad, worse; to: bad", nil, 0},
		{"502 html", activtraktest.Fault{Kind: activtraktest.Status, Status: 502,
			Body: `<html><head><title>502 Bad Gateway</title></head></html>`}, nil, "", "502 Bad Gateway", nil, 0},
		{"503 text", activtraktest.Fault{Kind: activtraktest.Status, Status: 503, Body: "upstream down\nmore"}, nil, "", "upstream down", nil, 0},
		{"messages objects", activtraktest.Fault{Kind: activtraktest.Status, Status: 400,
			Body: `{"messages":[{"message":"a"},{"field":"x"},null,"b"]}`}, nil, "", `a; {"field":"x"}; b`, []string{"a", `{"field":"x"}`, "b"}, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			srv := newFake(t)
			c := newClient(t, srv, activtrak.WithRetryPolicy(activtrak.NoRetries))
			srv.FailNext(tc.fault)
			_, err := c.ListActivityLog(testCtx(t), nil).Collect()
			var ae *activtrak.APIError
			require.True(t, errors.As(err, &ae), "got %T %v", err, err)
			assert.Equal(t, tc.fault.Status, ae.StatusCode)
			assert.Equal(t, tc.code, ae.Code)
			assert.Equal(t, tc.message, ae.Message)
			assert.Equal(t, tc.messages, ae.Messages)
			assert.Equal(t, tc.retry, ae.RetryAfter)
			assert.Equal(t, "activtrak", ae.Provider)
			assert.Equal(t, 1, ae.Attempts)
			if tc.sentinel != nil {
				assert.ErrorIs(t, err, tc.sentinel)
			}
			for _, s := range []error{activtrak.ErrNotFound, activtrak.ErrUnauthorized, activtrak.ErrForbidden, activtrak.ErrRateLimited} {
				if s != tc.sentinel {
					assert.NotErrorIs(t, err, s)
				}
			}
			assert.NotContains(t, err.Error(), "\n")
			var info *activtrak.ErrorInfo
			require.True(t, errors.As(err, &info))
			assert.Equal(t, tc.fault.Status, info.StatusCode)
		})
	}
}

func TestWrongKeyIsUnauthorizedAndNeverShown(t *testing.T) {
	t.Parallel()
	const secret = "sk-wrong-secret-key-123"
	srv := newEAFake(t)
	c, err := activtrak.NewClient(activtrak.WithBaseURL(srv.URL), activtrak.WithAPIKey(secret), activtrak.WithRetryPolicy(fastRetries),
		activtrak.WithEarlyAccess())
	require.NoError(t, err)
	_, err = c.ListUserWorkingHours(testCtx(t), &activtrak.WorkingHoursParams{From: day(2024, 6, 3), To: day(2024, 6, 3)}).Collect()
	require.ErrorIs(t, err, activtrak.ErrUnauthorized)
	var ae *activtrak.APIError
	require.True(t, errors.As(err, &ae))
	assert.Equal(t, []string{"invalid or missing credentials"}, ae.Messages)
	assert.Equal(t, 1, ae.Attempts, "401 is not retried")
	assert.NotContains(t, err.Error(), secret)
	assert.Equal(t, "Bearer "+secret, srv.Requests()[0].Header.Get("Authorization"))

	// A body echoing the key is redacted.
	srv.FailNext(activtraktest.Fault{Kind: activtraktest.Status, Status: 400, Body: `{"messages":["bad key ` + secret + `"]}`})
	_, err = c.ListActivityLog(testCtx(t), nil).Collect()
	require.True(t, errors.As(err, &ae))
	assert.NotContains(t, err.Error(), secret)
	assert.NotContains(t, string(ae.Body), secret)
	assert.Contains(t, ae.Message, "REDACTED")
}

func TestFakeRejectsWhatTheAPIRejects(t *testing.T) {
	t.Parallel()
	srv := newFake(t)
	c := newClient(t, srv)
	// The client never sends an invalid cursor by itself; a stale or forged
	// token gets the API's 400.
	_, err := c.ListActivityLog(testCtx(t), &activtrak.ActivityLogParams{PageToken: "forged"}).Collect()
	var ae *activtrak.APIError
	require.True(t, errors.As(err, &ae), "got %v", err)
	assert.Equal(t, http.StatusBadRequest, ae.StatusCode)
	assert.Equal(t, "The cursor 'forged' is not valid.", ae.Message)
	assert.Equal(t, 1, ae.Attempts)
}

func TestRetriesRideOutEveryFaultKind(t *testing.T) {
	t.Parallel()
	for _, f := range activtraktest.AllFaults(time.Millisecond, time.Millisecond) {
		t.Run(f.Kind.String()+" "+http.StatusText(f.Status), func(t *testing.T) {
			t.Parallel()
			srv := newFake(t, activtraktest.WithDays(1))
			c := newClient(t, srv)
			srv.FailNext(f, f)
			items, err := c.ListActivityLog(testCtx(t), &activtrak.ActivityLogParams{StartDate: day(2024, 6, 3)}).Collect()
			require.NoError(t, err)
			assert.Equal(t, idRange(1, 24), logIDs(items))
			rows, err := c.ListComputerWorkingHours(testCtx(t), &activtrak.WorkingHoursParams{From: day(2024, 6, 3), To: day(2024, 6, 3)}).Collect()
			require.NoError(t, err)
			assert.Len(t, rows, 5)
		})
	}
}

func TestDroppedConnectionIsRequestError(t *testing.T) {
	t.Parallel()
	srv := newFake(t)
	c := newClient(t, srv, activtrak.WithRetryPolicy(activtrak.RetryPolicy{MaxRetries: 1, MinBackoff: time.Millisecond, MaxBackoff: time.Millisecond}))
	srv.FailNext(activtraktest.FaultDrop, activtraktest.FaultDrop)
	_, err := c.ListActivityLog(testCtx(t), nil).Collect()
	var re *activtrak.RequestError
	require.True(t, errors.As(err, &re), "got %T %v", err, err)
	assert.Equal(t, 2, re.Attempts)
	assert.True(t, strings.HasPrefix(err.Error(), "activtrak: GET "), err.Error())
	assert.NotContains(t, err.Error(), activtraktest.APIKey)
}
