FROM alpine AS Builder
FROM BUILDER
COPY --from=BUILDER /a /b
