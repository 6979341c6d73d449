FROM localhost:5000/team/app:1
FROM localhost:5000
