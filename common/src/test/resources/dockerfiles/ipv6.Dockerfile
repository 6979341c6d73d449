FROM [::1]:5000/app:1
