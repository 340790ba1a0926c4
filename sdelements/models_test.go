package sdelements_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/activitysdk/activity-go/sdelements"
)

func TestDataAccessors(t *testing.T) {
	t.Parallel()
	var a sdelements.Activity
	require.NoError(t, json.Unmarshal([]byte(`{"id": 9, "date": "2020-01-02T03:04:05.000006-05:00", "data": {
		"application": 12, "application_desc": "Payments", "business_unit": "7", "business_unit_desc": "BU",
		"project": 3.5, "project_desc": "P", "standard": "CT4", "standard_desc": "CT4: Custom",
		"flag": true, "nothing": null, "obj": {"a": 1}, "big": 12345678901234567890}}`), &a))
	assert.True(t, a.Date.Equal(time.Date(2020, 1, 2, 8, 4, 5, 6000, time.UTC)), a.Date)
	assert.Equal(t, int64(12), a.ApplicationID())
	assert.Equal(t, "Payments", a.ApplicationDesc())
	assert.Equal(t, int64(7), a.BusinessUnitID(), "numeric strings are ids too")
	assert.Equal(t, "BU", a.BusinessUnitDesc())
	assert.Equal(t, int64(0), a.ProjectID(), "not an integer")
	assert.Equal(t, "P", a.ProjectDesc())
	assert.Equal(t, "CT4", a.Standard())
	assert.Equal(t, "CT4: Custom", a.StandardDesc())
	for key, want := range map[string]string{"flag": "true", "big": "12345678901234567890", "project": "3.5"} {
		got, ok := a.DataString(key)
		assert.True(t, ok, key)
		assert.Equal(t, want, got, key)
	}
	for _, key := range []string{"nothing", "obj", "missing"} {
		_, ok := a.DataString(key)
		assert.False(t, ok, key)
	}
	var d struct {
		Application int    `json:"application"`
		Standard    string `json:"standard"`
	}
	require.NoError(t, a.DecodeData(&d))
	assert.Equal(t, 12, d.Application)
	assert.Equal(t, "CT4", d.Standard)

	var empty sdelements.Activity
	assert.NoError(t, empty.DecodeData(&d))
	_, ok := empty.DataString("x")
	assert.False(t, ok)
	assert.Equal(t, "", empty.ProjectDesc())

	var notObject sdelements.Activity
	require.NoError(t, json.Unmarshal([]byte(`{"id": 1, "data": [1,2]}`), &notObject))
	_, ok = notObject.DataString("x")
	assert.False(t, ok)
}

func TestActivityDecodeErrors(t *testing.T) {
	t.Parallel()
	for _, body := range []string{
		`{"id": 1, "date": "2016-03-30T15:14:46"}`,
		`{"id": 1, "date": "yesterday"}`,
		`{"id": "x"}`,
		`{"id": 1, "date": 5}`,
	} {
		var a sdelements.Activity
		assert.Error(t, json.Unmarshal([]byte(body), &a), body)
	}
}
