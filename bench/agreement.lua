-- agreement.lua: wrk script for the write scenario: every request saves one co-building agreement
-- (one row, its audit entry, one BEGIN IMMEDIATE transaction). Cookie and CSRF header come by -H.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"unit_id":2,"community_code":"440111002011","starts_on":"2026-01-01",' ..
	'"ends_on":"2027-12-31","status":"signed","commitments":["每月开展一次义诊"],"signed_doc":"石共建〔2026〕3号"}'
