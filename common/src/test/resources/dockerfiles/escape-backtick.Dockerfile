# escape=`
FROM mcr.microsoft.com/windows/servercore:ltsc2022 `
  AS win
RUN dir c:\
FROM win
