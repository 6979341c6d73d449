FROM a
COPY --from=x:1 /a /b
COPY --from=2 /c /d
FROM b
COPY --from=3 /e /f
