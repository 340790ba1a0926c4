package activtrak

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestUnmarshalVia: a model decoded through its wire type reads the lenient
// timestamps, replaces the whole value (fields absent from the JSON are
// zeroed, as before) and passes a syntax error on.
func TestUnmarshalVia(t *testing.T) {
	t.Parallel()
	w := WorkingHours{UserID: 9, Location: "old", TotalTime: 3}
	require.NoError(t, json.Unmarshal([]byte(`{"date":"2024-06-03T00:00:00","firstActivity":"bad","userId":7}`), &w))
	assert.Equal(t, WorkingHours{Date: time.Date(2024, 6, 3, 0, 0, 0, 0, time.UTC), UserID: 7}, w)

	var e ActivityLogEntry
	require.NoError(t, json.Unmarshal([]byte(`{"logId":5,"time":"2024-06-03T10:00:00+02:00","date":null}`), &e))
	assert.Equal(t, int64(5), e.LogID)
	assert.Equal(t, time.Date(2024, 6, 3, 8, 0, 0, 0, time.UTC), e.Time)
	assert.True(t, e.Date.IsZero())

	var syn *json.SyntaxError
	assert.ErrorAs(t, unmarshalVia[activityLogWire]([]byte(`{"logId":`), &e), &syn)
	var typ *json.UnmarshalTypeError
	assert.ErrorAs(t, unmarshalVia[workingHoursWire]([]byte(`{"userId":"seven"}`), &w), &typ)
}
