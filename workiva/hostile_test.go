package workiva_test

import (
	"context"
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/activitysdk/activity-go/workiva"
	"github.com/activitysdk/activity-go/workiva/workivatest"
)

// Issue 14: a blank 200 answer to GetActivity returned an empty Activity and
// a nil error. It is a truncated answer: retried, and a typed error when
// every attempt is blank.
func TestGetActivityBlankAnswerIsNotASuccess(t *testing.T) {
	t.Parallel()
	srv, c := newFake(t)
	id := workivatest.ActivityID(3)

	srv.FailNext(workivatest.FaultBlank)
	a, err := c.GetActivity(context.Background(), id)
	require.NoError(t, err)
	assert.Equal(t, id, a.ID, "the retry got the real answer")

	srv.FailNext(workivatest.FaultBlank, workivatest.FaultBlank, workivatest.FaultBlank, workivatest.FaultBlank)
	a, err = c.GetActivity(context.Background(), id)
	require.Error(t, err)
	assert.Nil(t, a)
	assert.True(t, errors.Is(err, workiva.ErrTruncated), "%v", err)
	var re *workiva.RequestError
	require.ErrorAs(t, err, &re)
	assert.Equal(t, 4, re.Attempts)
}
